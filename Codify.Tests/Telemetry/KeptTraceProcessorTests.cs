using System.Diagnostics;
using Codify.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace Codify.Tests.Telemetry;

/// <summary>The services' sampling pipeline (sampler + processor in front of an exporter): what reaches the exporter.</summary>
[UnitTier]
public sealed class KeptTraceProcessorTests : IDisposable
{
    private const int SlowRunMs = 500;
    private readonly ActivitySource _source = new($"Codify.Tests.Sampling.{Guid.NewGuid():N}");
    private readonly List<Activity> _exported = [];
    private TracerProvider? _provider;

    private void Pipeline(double sampleRatio) =>
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(_source.Name)
            .SetSampler(RecordOnlySampler.ForServices(sampleRatio))
            .AddProcessor(new KeptTraceProcessor(new SimpleActivityExportProcessor(new InMemoryExporter<Activity>(_exported)), SlowRunMs))
            .Build();

    [Fact]
    public void A_fast_successful_trace_outside_the_sample_is_not_exported()
    {
        Pipeline(sampleRatio: 0);
        Request(child: _ => { });
        Assert.Empty(_exported);
    }

    [Fact]
    public void A_trace_with_an_error_is_exported_whole_whatever_the_ratio()
    {
        Pipeline(sampleRatio: 0);
        var traceId = Request(child: span => span.SetStatus(ActivityStatusCode.Error, "internal_error"));
        Assert.Equal(["request.child", "request"], _exported.Select(s => s.OperationName));
        Assert.All(_exported, s => Assert.Equal(traceId, s.TraceId));
        Assert.All(_exported, s => Assert.True(s.Recorded));
    }

    [Fact]
    public void A_slow_trace_is_exported_whole_whatever_the_ratio()
    {
        Pipeline(sampleRatio: 0);
        Request(child: _ => { }, startedAgo: TimeSpan.FromMilliseconds(SlowRunMs * 2));
        Assert.Equal(["request.child", "request"], _exported.Select(s => s.OperationName));
    }

    [Fact]
    public void Everything_is_exported_at_ratio_one()
    {
        Pipeline(sampleRatio: 1);
        for (var i = 0; i < 20; i++)
        {
            Request(child: _ => { });
        }

        Assert.Equal(40, _exported.Count);
    }

    [Fact]
    public void The_sample_ratio_is_honoured_for_fast_successful_traces()
    {
        Pipeline(sampleRatio: 0.25);
        const int traces = 4000;
        for (var i = 0; i < traces; i++)
        {
            Request(child: _ => { });
        }

        // Decided by trace id: whole traces (both spans) or nothing; 4000 draws put the share within 0.25 ± 0.03 (over 4 sigma).
        Assert.Equal(0, _exported.Count % 2);
        Assert.InRange(_exported.Count / 2 / (double)traces, 0.22, 0.28);
    }

    [Fact]
    public void A_run_continuing_an_unsampled_trace_from_another_process_is_kept_when_it_fails()
    {
        Pipeline(sampleRatio: 1); // the other process decided: not sampled
        var remote = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);
        using (var run = _source.StartActivity("execution.run", ActivityKind.Consumer, remote)!)
        {
            // The queue-wait span hangs under the remote parent too and ends first: it must wait for the run's verdict.
            _source.StartActivity("execution.queued", ActivityKind.Internal, remote)!.Dispose();
            Assert.Empty(_exported);
            run.SetStatus(ActivityStatusCode.Error, "internal_error");
        }

        Assert.Equal(["execution.queued", "execution.run"], _exported.Select(s => s.OperationName));
    }

    [Fact]
    public void A_run_continuing_an_unsampled_trace_is_dropped_when_it_succeeds_fast()
    {
        Pipeline(sampleRatio: 1);
        var remote = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);
        using (_source.StartActivity("execution.run", ActivityKind.Consumer, remote))
        {
            _source.StartActivity("execution.queued", ActivityKind.Internal, remote)!.Dispose();
        }

        Assert.Empty(_exported);
    }

    private ActivityTraceId Request(Action<Activity> child, TimeSpan? startedAgo = null)
    {
        Activity.Current = null;
        using var request = _source.StartActivity("request", ActivityKind.Server)!;
        if (startedAgo is { } ago)
        {
            request.SetStartTime(DateTime.UtcNow - ago);
        }

        using (var inner = _source.StartActivity("request.child")!)
        {
            child(inner);
        }

        return request.TraceId;
    }

    public void Dispose()
    {
        _provider?.Dispose();
        _source.Dispose();
    }
}
