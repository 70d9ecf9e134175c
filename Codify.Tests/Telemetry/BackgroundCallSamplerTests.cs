using System.Diagnostics;
using Codify.Hosting;
using OpenTelemetry.Trace;

namespace Codify.Tests.Telemetry;

[UnitTier]
public sealed class BackgroundCallSamplerTests
{
    private static readonly ParentBasedSampler Sampler = new(new BackgroundCallSampler());

    [Theory]
    [InlineData(ActivityKind.Client, SamplingDecision.Drop)]
    [InlineData(ActivityKind.Server, SamplingDecision.RecordAndSample)]
    [InlineData(ActivityKind.Producer, SamplingDecision.RecordAndSample)]
    [InlineData(ActivityKind.Consumer, SamplingDecision.RecordAndSample)]
    [InlineData(ActivityKind.Internal, SamplingDecision.RecordAndSample)]
    public void A_trace_is_not_started_by_an_outgoing_call_alone(ActivityKind kind, SamplingDecision expected)
    {
        var decision = Sampler.ShouldSample(new SamplingParameters(default, ActivityTraceId.CreateRandom(), "EVAL", kind));
        Assert.Equal(expected, decision.Decision);
    }

    [Fact]
    public void A_call_inside_a_sampled_request_or_execution_is_kept()
    {
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var decision = Sampler.ShouldSample(new SamplingParameters(parent, parent.TraceId, "EVAL", ActivityKind.Client));
        Assert.Equal(SamplingDecision.RecordAndSample, decision.Decision);
    }
}
