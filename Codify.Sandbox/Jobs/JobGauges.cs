using System.Diagnostics.Metrics;
using Codify.Hosting;
using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Jobs;

/// <summary>
/// This replica's slots on the Codify meter: executions running here and jobs it could still take. A hosted service only
/// so that the gauges exist from start-up.
/// </summary>
public sealed class JobGauges : IHostedService
{
    public JobGauges(IMeterFactory meters, RunningJobs running, InFlightJobs inFlight, IOptions<SandboxOptions> options)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(CodifyTelemetry.MeterName);
        meter.CreateObservableGauge("codify.sandbox.running", () => (long)running.Ids.Count, unit: "{execution}",
            description: "Executions running on this sandbox replica");
        meter.CreateObservableGauge("codify.sandbox.free_slots",
            () => (long)Math.Max(0, options.Value.MaxConcurrentExecutions - inFlight.Count), unit: "{slot}",
            description: "Jobs this sandbox replica could take now (MAX_CONCURRENT_EXECUTIONS minus the jobs it holds)");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
