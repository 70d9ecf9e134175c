using System.Diagnostics;
using Codify.Contracts;
using Codify.Hosting;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Telemetry;

[Collection(TelemetryGroup.Name)]
[ApiTier]
public sealed class TracingTests(TelemetryFixture stack)
{
    [Fact]
    public async Task One_trace_runs_from_the_http_request_through_the_job_to_the_stored_result()
    {
        var (record, traceId) = await stack.ExecuteInNewTraceAsync(new { language = "python", code = "print('hi')" });

        var spans = await SpansAsync(traceId, "execution.run"); // the parent ends after its last child (result.store)
        var request = Single(spans, s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore");
        var enqueue = Single(spans, s => s.OperationName == "execution.enqueue");
        var run = Single(spans, s => s.OperationName == "execution.run");
        var queued = Single(spans, s => s.OperationName == "execution.queued");

        // The API's side: the enqueue span is a producer under the request, and names the execution on both.
        Assert.Equal(CodifyTelemetry.ApiActivitySource, enqueue.Source.Name);
        Assert.Equal(ActivityKind.Producer, enqueue.Kind);
        Assert.Equal(request.SpanId, enqueue.ParentSpanId);
        Assert.Equal(record.Id, request.GetTagItem(CodifyTelemetry.ExecutionIdTag));
        Assert.Equal(record.Id, enqueue.GetTagItem(ExecutionTags.Id));
        Assert.Equal("python", enqueue.GetTagItem(ExecutionTags.Language));
        Assert.NotNull(enqueue.GetTagItem("codify.limits.wall_time_ms"));

        // The Sandbox's side continues it: nothing but the job entry links the two (separate hosts, no ambient context).
        Assert.Equal(CodifyTelemetry.SandboxActivitySource, run.Source.Name);
        Assert.Equal(ActivityKind.Consumer, run.Kind);
        Assert.Equal(enqueue.SpanId, run.ParentSpanId);
        Assert.Equal(enqueue.SpanId, queued.ParentSpanId);
        foreach (var phase in new[] { "execution.start", "sandbox.run", "result.store" })
        {
            var child = Single(spans, s => s.OperationName == phase);
            Assert.Equal(CodifyTelemetry.SandboxActivitySource, child.Source.Name);
            Assert.Equal(run.SpanId, child.ParentSpanId);
            Assert.Contains(request, Ancestors(child, spans));
        }

        Assert.Equal(record.Id, run.GetTagItem(ExecutionTags.Id));
        Assert.Equal("python", run.GetTagItem(ExecutionTags.Language));
        Assert.Equal("completed", run.GetTagItem(ExecutionTags.Status));
        Assert.Equal(0, run.GetTagItem(ExecutionTags.ExitCode));
        Assert.Equal(record.WallTimeMs, run.GetTagItem(ExecutionTags.WallTimeMs));
        Assert.Equal(record.QueueWaitMs, run.GetTagItem(ExecutionTags.QueueWaitMs));
        Assert.NotNull(run.GetTagItem("codify.limits.memory_bytes"));
        Assert.Equal(ActivityStatusCode.Unset, run.Status);

        // The queue wait span is the record's own interval: from createdAt to startedAt.
        Assert.Equal(record.CreatedAt.UtcDateTime, queued.StartTimeUtc);
        Assert.Equal(record.StartedAt!.Value.UtcDateTime, queued.StartTimeUtc + queued.Duration, TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task A_failing_program_is_a_verdict_on_the_span_not_a_span_error()
    {
        var (record, traceId) = await stack.ExecuteInNewTraceAsync(new { language = "python", code = "import sys; sys.exit(3)" });

        var run = Single(await SpansAsync(traceId, "execution.run"), s => s.OperationName == "execution.run");
        Assert.Equal(ExecutionStatus.RuntimeError, record.Status);
        Assert.Equal("runtime_error", run.GetTagItem(ExecutionTags.Status));
        Assert.Equal(3, run.GetTagItem(ExecutionTags.ExitCode));
        Assert.Equal(ActivityStatusCode.Unset, run.Status);
    }

    /// <summary>The trace's spans once <paramref name="last"/> has ended (the Sandbox's end after the waiting request may answer).</summary>
    private async Task<Activity[]> SpansAsync(ActivityTraceId traceId, string last) =>
        await Eventually.ReturnsAsync(
            () => Task.FromResult(Distinct(stack.ApiTelemetry.SpansOf(traceId).Concat(stack.SandboxTelemetry.SpansOf(traceId)))),
            spans => spans.Any(s => s.OperationName == last) && spans.Any(s => s.Kind == ActivityKind.Server),
            TimeSpan.FromSeconds(30), $"the span {last} of trace {traceId}");

    /// <summary>Span listeners are process-wide: both hosts' pipelines export every span, so each is kept once.</summary>
    private static Activity[] Distinct(IEnumerable<Activity> spans) => [.. spans.DistinctBy(s => s.SpanId)];

    private static Activity Single(Activity[] spans, Func<Activity, bool> match)
    {
        var found = spans.Where(match).ToArray();
        Assert.True(found.Length == 1, $"expected one matching span, found {found.Length} among: {string.Join(", ", spans.Select(s => s.OperationName))}");
        return found[0];
    }

    private static IEnumerable<Activity> Ancestors(Activity span, Activity[] spans)
    {
        for (var current = span; spans.FirstOrDefault(s => s.SpanId == current.ParentSpanId) is { } parent; current = parent)
        {
            yield return parent;
        }
    }
}
