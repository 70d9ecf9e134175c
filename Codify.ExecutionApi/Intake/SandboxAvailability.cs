using Codify.Contracts;
using Codify.ExecutionApi.Executions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Intake;

/// <summary>Whether any Sandbox replica that can isolate has sent a heartbeat recently.</summary>
public sealed class SandboxAvailability(IConnectionMultiplexer redis, IOptions<ExecutionOptions> options, TimeProvider time)
{
    public async Task<bool> AnyHealthyAsync()
    {
        var freshSince = time.GetUtcNow().AddSeconds(-options.Value.SandboxHeartbeatTimeoutSeconds).ToUnixTimeMilliseconds();
        return await redis.GetDatabase().SortedSetLengthAsync(RedisKeys.HealthySandboxes, min: freshSince) > 0;
    }
}
