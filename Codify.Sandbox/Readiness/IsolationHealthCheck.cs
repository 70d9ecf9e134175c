using Codify.Sandbox.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Codify.Sandbox.Readiness;

/// <summary>
/// Unhealthy, with the reason, whenever this replica cannot isolate programs. Healthy otherwise, naming the mode that serves
/// python runs and, when it is not the configured one (a fork server that cannot isolate), why: every run is still isolated
/// (pool or cold), so an orchestrator must not hold the replica back for it.
/// The description ends with the runs so far by path (<see cref="RunPathTally"/>), when it is given.
/// </summary>
public sealed class IsolationHealthCheck(IsolationState state, ExecutionModeState modes, RunPathTally? runs = null) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(!state.IsReady
            ? HealthCheckResult.Unhealthy($"sandbox refuses to run code: {state.Reason}")
            : HealthCheckResult.Healthy(runs is null ? $"{state.Reason}; {modes.Describe()}" : $"{state.Reason}; {modes.Describe()}; {runs.Describe()}"));
}
