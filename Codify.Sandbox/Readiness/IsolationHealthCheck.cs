using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Codify.Sandbox.Readiness;

/// <summary>Unhealthy, with the reason, whenever this replica cannot isolate programs.</summary>
public sealed class IsolationHealthCheck(IsolationState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsReady
            ? HealthCheckResult.Healthy(state.Reason)
            : HealthCheckResult.Unhealthy($"sandbox refuses to run code: {state.Reason}"));
}
