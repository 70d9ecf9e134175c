using System.Globalization;
using System.Text.Json;
using Codify.Contracts;
using StackExchange.Redis;

namespace Codify.Sandbox.Jobs;

/// <summary>
/// What a job found when it claimed its record, in one round trip (it was three: read, start, cancel check):
/// <see cref="Status"/> as it was, and <see cref="Started"/> when this call moved it from queued to running.
/// </summary>
public sealed record ExecutionClaim(
    ExecutionStatus? Status, ExecutionSpec? Spec, DateTimeOffset? CreatedAt, bool CancelRequested, bool Started)
{
    // Read the record; when it is queued and the caller may run it, queued → running (only once: a job delivered twice,
    // or cancelled meanwhile, is never started twice). The cancel flag is read in the same step as the start, so a
    // cancel asked later finds the record running and reaches the run through the cancel channel.
    internal static readonly string Script = $"""
        local f = redis.call('HMGET', KEYS[1], '{ExecutionFields.Status}', '{ExecutionFields.Spec}', '{ExecutionFields.CreatedAt}', '{ExecutionFields.CancelRequested}')
        local started = 0
        if f[1] == 'queued' and ARGV[4] == '1' then
          redis.call('HSET', KEYS[1], 'status', 'running', 'startedAt', ARGV[1], 'worker', ARGV[2])
          {EventLogScript.Append("KEYS[1]", "KEYS[3]", "KEYS[2]", "ARGV[3]")}
          started = 1
        end
        return {"{"} f[1] or '', f[2] or '', f[3] or '', f[4] and '1' or '', started {"}"}
        """;

    internal static ExecutionClaim Parse(RedisResult result)
    {
        var fields = (RedisResult[])result!;
        var status = fields[0].ToString();
        return new ExecutionClaim(
            status.Length == 0 ? null : ExecutionStatusExtensions.ParseWire(status),
            ReadSpec(fields[1].ToString()),
            DateTimeOffset.TryParse(fields[2].ToString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var created) ? created : null,
            fields[3].ToString().Length > 0,
            (int)fields[4] == 1);
    }

    /// <summary>A spec that is missing or does not parse is no program: the run ends as an internal error.</summary>
    private static ExecutionSpec? ReadSpec(string json)
    {
        if (json.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ExecutionSpec>(json, CodifyJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
