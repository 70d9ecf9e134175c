using Codify.Contracts;
using Codify.ExecutionApi.Executions;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Intake;

/// <summary>Whether any Sandbox replica that can isolate has sent a heartbeat recently (read in the intake's admission script).</summary>
public sealed class SandboxAvailability(IOptions<ExecutionOptions> options, TimeProvider time)
{
    /// <summary>
    /// Sets the local <c>healthy</c> to the replicas advertised in <paramref name="healthyKey"/> (<see cref="RedisKeys.HealthySandboxes"/>)
    /// since <paramref name="freshSince"/> (Lua expressions; unix ms). Embedded in the intake's one admission script (ExecutionBudget).
    /// </summary>
    public static string HealthySnippet(string healthyKey, string freshSince) =>
        $"local healthy = redis.call('ZCOUNT', {healthyKey}, {freshSince}, '+inf')\n";

    /// <summary>Oldest heartbeat (unix ms) that still counts.</summary>
    public long FreshSince() => time.GetUtcNow().AddSeconds(-options.Value.SandboxHeartbeatTimeoutSeconds).ToUnixTimeMilliseconds();
}
