using Codify.Contracts;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Admission;

/// <summary>
/// Jobs waiting for a sandbox: entries in the job stream not yet delivered to any worker. Workers delete entries they
/// finish, so stream length minus the group's pending (running) entries is the queue.
/// </summary>
public sealed class QueueGauge(IConnectionMultiplexer redis)
{
    /// <summary>
    /// Sets the local <c>waiting</c> to the entries of stream <paramref name="stream"/> not yet delivered to a consumer of
    /// group <paramref name="group"/> (Lua expressions). Embedded in the intake's one admission script (Intake/ExecutionBudget).
    /// </summary>
    public static string WaitingSnippet(string stream, string group) => $"""
        local waiting = redis.call('XLEN', {stream})
        if waiting > 0 then
          local pending = redis.pcall('XPENDING', {stream}, {group})
          if type(pending) == 'table' and pending.err == nil then
            waiting = waiting - pending[1]
          end
        end

        """;

    private static readonly string Script = WaitingSnippet("KEYS[1]", "ARGV[1]") + "return waiting";

    public async Task<long> WaitingAsync() =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(Script, [new RedisKey(RedisKeys.JobStream)], [RedisKeys.SandboxGroup]);
}
