using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Health;

/// <summary>
/// Healthy when at least one registered Sandbox replica is healthy; else the registration's failure status, naming every
/// registered replica's reason. Lists each replica (slots, isolation, runtimes, last beat) in its data.
/// </summary>
public sealed class SandboxesHealthCheck(SandboxRegistry registry, IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SandboxReplicaView> replicas;
        try
        {
            replicas = await registry.ReadAsync().WaitAsync(options.Value.RedisTimeout, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"the sandbox registry in Redis is unreadable: {RedisFailure.Describe(e, options.Value.RedisTimeout)}");
        }

        var healthy = replicas.Where(r => r.IsHealthy).ToList();
        var data = new Dictionary<string, object>
        {
            ["healthy"] = healthy.Count,
            ["registered"] = replicas.Count,
            ["slotsTotal"] = healthy.Sum(r => r.SlotsTotal ?? 0),
            ["slotsFree"] = healthy.Sum(r => r.SlotsFree ?? 0),
            ["replicas"] = replicas,
        };
        if (healthy.Count > 0)
        {
            return HealthCheckResult.Healthy(
                $"{healthy.Count} of {replicas.Count} sandbox replicas healthy, {data["slotsFree"]} of {data["slotsTotal"]} slots free", data);
        }

        var description = replicas.Count == 0
            ? "no sandbox replica is registered"
            : "no healthy sandbox replica: " + string.Join("; ", replicas.Select(r => $"{r.Id}: {r.Reason}"));
        return new HealthCheckResult(context.Registration.FailureStatus, description, data: data);
    }
}
