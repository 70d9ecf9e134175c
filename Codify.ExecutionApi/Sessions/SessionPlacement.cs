using Codify.Contracts;
using Codify.ExecutionApi.Executions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Sessions;

/// <summary>Which Sandbox replicas a new session may start on: those able to isolate with a fresh heartbeat, in random order.</summary>
public sealed class SessionPlacement(IConnectionMultiplexer redis, IOptions<ExecutionOptions> options, TimeProvider time)
{
    public async Task<IReadOnlyList<string>> CandidatesAsync()
    {
        var freshSince = time.GetUtcNow().AddSeconds(-options.Value.SandboxHeartbeatTimeoutSeconds).ToUnixTimeMilliseconds();
        var healthy = await redis.GetDatabase().SortedSetRangeByScoreAsync(RedisKeys.HealthySandboxes, start: freshSince);
        var replicas = healthy.Select(r => r.ToString()).ToArray();
        // Spread sessions over replicas; one with no room answers "full" and the next is asked.
        Random.Shared.Shuffle(replicas);
        return replicas;
    }
}
