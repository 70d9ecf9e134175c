using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Codify.Sandbox.Readiness;

/// <summary>
/// Unhealthy, with the reason, whenever this replica cannot isolate programs; Degraded when it isolates but not in its
/// configured mode (a fork server that cannot isolate: runs fall back to the pool or cold, and the check says why).
/// </summary>
public sealed class IsolationHealthCheck(IsolationState state, ExecutionModeState modes) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(!state.IsReady
            ? HealthCheckResult.Unhealthy($"sandbox refuses to run code: {state.Reason}")
            : modes.Fallback is not null
                ? HealthCheckResult.Degraded($"{state.Reason}; {modes.Describe()}")
                : HealthCheckResult.Healthy($"{state.Reason}; {modes.Describe()}"));
}
