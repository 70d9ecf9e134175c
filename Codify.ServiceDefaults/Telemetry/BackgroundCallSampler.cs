using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Codify.Hosting;

/// <summary>
/// Root sampler (under <see cref="ParentBasedSampler"/>): an outgoing call that starts a trace of its own — a Redis
/// read by a metrics callback, a heartbeat or a poll — is dropped, so the dashboard's trace list shows requests and
/// executions instead of one Redis trace per second. Calls inside a request or an execution follow their parent.
/// Background work worth tracing starts its own (non-client) span first, as callback deliveries do.
/// Any other new trace is sampled by its id with <paramref name="sampleRatio"/>; the rest are recorded only, so
/// <see cref="KeptTraceProcessor"/> can still export them if they fail or are slow.
/// </summary>
public sealed class BackgroundCallSampler(double sampleRatio = 1.0) : Sampler
{
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);
    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult RecordOnly = new(SamplingDecision.RecordOnly);
    private readonly TraceIdRatioBasedSampler _ratio = new(sampleRatio);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.Kind == ActivityKind.Client ? Drop
        : _ratio.ShouldSample(samplingParameters).Decision == SamplingDecision.RecordAndSample ? Keep
        : RecordOnly;
}
