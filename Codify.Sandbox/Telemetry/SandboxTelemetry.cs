using System.Diagnostics;
using Codify.Hosting;

namespace Codify.Sandbox.Telemetry;

/// <summary>
/// Starts the telemetry of one job: its spans continue the trace whose context the API put into the job, and its
/// outcome feeds <see cref="SandboxMetrics"/>.
/// </summary>
public sealed class SandboxTelemetry(SandboxMetrics metrics)
{
    public static readonly ActivitySource Source = new(CodifyTelemetry.SandboxActivitySource);

    /// <param name="executionId">The execution the job is about.</param>
    /// <param name="traceParent">The job's W3C traceparent; a missing or malformed one starts a new trace.</param>
    public ExecutionTrace Begin(string executionId, string? traceParent)
    {
        ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent);
        return new ExecutionTrace(metrics, executionId, parent);
    }
}
