using Codify.Contracts;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Admission;

/// <summary>
/// Jobs waiting for a sandbox: entries in the job stream not yet delivered to any worker. Workers delete entries they
/// finish, so stream length minus the group's pending (running) entries is the queue.
/// </summary>
public sealed class QueueGauge(IConnectionMultiplexer redis)
{
    private const string Script = """
        local length = redis.call('XLEN', KEYS[1])
        if length == 0 then
          return 0
        end
        local pending = redis.pcall('XPENDING', KEYS[1], ARGV[1])
        if type(pending) == 'table' and pending.err == nil then
          return length - pending[1]
        end
        return length
        """;

    public async Task<long> WaitingAsync() =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(Script, [new RedisKey(RedisKeys.JobStream)], [RedisKeys.SandboxGroup]);
}
