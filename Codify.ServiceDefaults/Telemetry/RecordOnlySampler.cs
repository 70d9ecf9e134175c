using OpenTelemetry.Trace;

namespace Codify.Hosting;

/// <summary>
/// For a span whose parent was not sampled: recorded (so its status and duration are known when the trace ends) but
/// not exported unless <see cref="KeptTraceProcessor"/> keeps its trace.
/// </summary>
public sealed class RecordOnlySampler : Sampler
{
    private static readonly SamplingResult RecordOnly = new(SamplingDecision.RecordOnly);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) => RecordOnly;

    /// <summary>
    /// The services' sampler: <see cref="BackgroundCallSampler"/> for new traces, the parent's decision otherwise, and
    /// record-only (never dropped) under an unsampled parent, so an error or a slow run below it is still seen.
    /// </summary>
    public static Sampler ForServices(double sampleRatio)
    {
        var recordOnly = new RecordOnlySampler();
        return new ParentBasedSampler(new BackgroundCallSampler(sampleRatio),
            remoteParentSampled: new AlwaysOnSampler(), remoteParentNotSampled: recordOnly,
            localParentSampled: new AlwaysOnSampler(), localParentNotSampled: recordOnly);
    }
}
