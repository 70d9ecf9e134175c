using System.Globalization;
using System.Text.Json;
using Codify.Contracts;
using StackExchange.Redis;

namespace Codify.Sandbox.Jobs;

/// <summary>The Sandbox's side of an execution record: guarded status transitions, each atomic in Redis.</summary>
public sealed class ExecutionRepository(IConnectionMultiplexer redis, TimeProvider time)
{
    // queued → running, only once: a job delivered twice (or cancelled meanwhile) is never started twice.
    private static readonly string StartScript = $"""
        if redis.call('HGET', KEYS[1], 'status') ~= 'queued' then return 0 end
        redis.call('HSET', KEYS[1], 'status', 'running', 'startedAt', ARGV[1], 'worker', ARGV[2])
        {EventLogScript.Append("KEYS[1]", "KEYS[3]", "KEYS[2]", "ARGV[3]")}
        return 1
        """;

    // An output chunk, only while the record is running: logged and published in the record's event sequence.
    private static readonly string OutputScript = $"""
        if redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
        {EventLogScript.Append("KEYS[1]", "KEYS[3]", "KEYS[2]", "ARGV[1]")}
        return 1
        """;

    // running → terminal, only by the worker that started it (a reclaimed record is not overwritten by a late zombie).
    // A requested callback is queued in the same script: an ended record never misses (or doubles) its delivery.
    // The same goes for its count in the execution statistics.
    private static readonly string FinishScript = $"""
        if redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
        if ARGV[5] ~= '' and redis.call('HGET', KEYS[1], 'worker') ~= ARGV[5] then return 0 end
        redis.call('HSET', KEYS[1], 'status', ARGV[1], 'result', ARGV[2], 'completedAt', ARGV[3])
        {EventLogScript.Append("KEYS[1]", "KEYS[4]", "KEYS[2]", "ARGV[4]")}
        {CallbackQueueScript.EnqueueIfRequested("KEYS[1]", "KEYS[3]", "ARGV[6]")}
        {ExecutionStatsScript.Record("KEYS[1]", "KEYS[5]", "KEYS[6]", "ARGV[1]", "ARGV[7]")}
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    public async Task<(ExecutionStatus? Status, ExecutionSpec? Spec, DateTimeOffset? CreatedAt)> LoadAsync(string id)
    {
        var fields = await Db.HashGetAsync(RedisKeys.Execution(id), [ExecutionFields.Status, ExecutionFields.Spec, ExecutionFields.CreatedAt]);
        if (fields[0].IsNullOrEmpty)
        {
            return (null, null, null);
        }

        var spec = fields[1].IsNullOrEmpty ? null : JsonSerializer.Deserialize<ExecutionSpec>(fields[1].ToString(), CodifyJson.Options);
        var createdAt = DateTimeOffset.TryParse(fields[2].ToString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var created)
            ? created : (DateTimeOffset?)null;
        return (ExecutionStatusExtensions.ParseWire(fields[0].ToString()), spec, createdAt);
    }

    /// <summary>queued → running; <c>startedAt</c> (default: now) is recorded as given, so a caller measuring the queue wait matches the record.</summary>
    public async Task<bool> TryStartAsync(string id, string worker, DateTimeOffset? startedAt = null)
    {
        var started = new ExecutionEvent(ExecutionEventType.Started, id, ExecutionStatus.Running);
        var result = await Db.ScriptEvaluateAsync(StartScript,
            [RedisKeys.Execution(id), RedisKeys.Events(id), RedisKeys.EventsLog(id)],
            [(startedAt ?? time.GetUtcNow()).ToString("O"), worker, JsonSerializer.Serialize(started, CodifyJson.Options)]);
        return (int)result == 1;
    }

    /// <summary>Logs and publishes one output chunk; issued in call order on the shared connection, so chunks keep their order.</summary>
    public Task AppendOutputAsync(string id, ExecutionEventType type, string data) =>
        Db.ScriptEvaluateAsync(OutputScript,
            [RedisKeys.Execution(id), RedisKeys.Events(id), RedisKeys.EventsLog(id)],
            [JsonSerializer.Serialize(new ExecutionEvent(type, id) { Data = data }, CodifyJson.Options)]);

    public Task<bool> TryFinishAsync(string id, string worker, ExecutionResult result) =>
        FinishAsync(id, worker, result);

    /// <summary>A record left running by a worker that died: it may have had side effects, so it is not rerun.</summary>
    public Task<bool> TryFailLostAsync(string id) =>
        FinishAsync(id, worker: "", ExecutionResult.InternalError(LostMessage));

    public const string LostMessage = LostWorker.Message;

    private async Task<bool> FinishAsync(string id, string worker, ExecutionResult result)
    {
        var completed = new ExecutionEvent(ExecutionEventType.Completed, id, result.Status);
        var stats = ExecutionStatsScript.KeysAt(time.GetUtcNow());
        var outcome = await Db.ScriptEvaluateAsync(FinishScript,
            [RedisKeys.Execution(id), RedisKeys.Events(id), RedisKeys.CallbackStream, RedisKeys.EventsLog(id), stats.Minute, stats.Hour],
            [result.Status.ToWire(), JsonSerializer.Serialize(result, CodifyJson.Options), Now(),
                JsonSerializer.Serialize(completed, CodifyJson.Options), worker, id, result.WallTimeMs]);
        return (int)outcome == 1;
    }

    private string Now() => time.GetUtcNow().ToString("O");
}
