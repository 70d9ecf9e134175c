using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.Sandbox;
using Codify.Sandbox.Telemetry;
using Codify.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Codify.Tests.Telemetry;

[Collection(TelemetryGroup.Name)]
[ApiTier]
public sealed class SandboxMetricsTests(TelemetryFixture stack)
{
    [Fact]
    public async Task An_ended_execution_is_counted_by_language_and_status_and_its_run_measured()
    {
        using var recorder = new MeasurementRecorder(stack.Sandbox.Services);

        var (completed, _) = await stack.ExecuteInNewTraceAsync(new { language = "python", code = "print('x' * 10)" });
        var (failed, _) = await stack.ExecuteInNewTraceAsync(new { language = "javascript", code = "process.exit(2)" });

        var counted = await Eventually.ReturnsAsync(() => Task.FromResult(recorder.Of("codify.executions")),
            m => m.Length == 2, TimeSpan.FromSeconds(30), "two counted executions");
        Assert.Contains(counted, m => m.Value == 1 && Is(m, "python", "completed"));
        Assert.Contains(counted, m => m.Value == 1 && Is(m, "javascript", "runtime_error"));
        Assert.Equal(ExecutionStatus.RuntimeError, failed.Status);

        var duration = Assert.Single(recorder.Of("codify.execution.duration"), m => Is(m, "python", "completed"));
        Assert.Equal(completed.WallTimeMs!.Value / 1000.0, duration.Value, 6);
        var memory = Assert.Single(recorder.Of("codify.execution.memory_peak"), m => Is(m, "python", "completed"));
        Assert.Equal(completed.MemoryPeakBytes!.Value, memory.Value);
        var wait = Assert.Single(recorder.Of("codify.execution.queue_wait"), m => m.Tag(SandboxMetrics.LanguageTag) as string == "python");
        // The record keeps whole milliseconds of the same interval.
        Assert.Equal(completed.QueueWaitMs!.Value, Math.Floor(wait.Value * 1000), 0);
    }

    [Fact]
    public async Task Running_and_free_slot_gauges_follow_a_run()
    {
        using var recorder = new MeasurementRecorder(stack.Sandbox.Services);
        var slots = stack.Sandbox.Services.GetRequiredService<IOptions<SandboxOptions>>().Value.MaxConcurrentExecutions;
        await GaugesAsync(recorder, running: 0, free: slots, "an idle sandbox");

        using var response = await stack.Client.PostAsJsonAsync("/api/execute",
            new { language = "python", code = "import time\ntime.sleep(60)", timeout = 30 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!.Id;
        try
        {
            await GaugesAsync(recorder, running: 1, free: slots - 1, "one running execution");
        }
        finally
        {
            using var cancel = await stack.Client.DeleteAsync($"/api/execute/{id}");
        }

        await GaugesAsync(recorder, running: 0, free: slots, "the sandbox idle again after the cancel");
    }

    [Fact]
    public async Task The_hosts_pipeline_exports_the_codify_instruments()
    {
        await stack.ExecuteInNewTraceAsync(new { language = "python", code = "print(4)" });

        var exported = await Eventually.ReturnsAsync(() =>
            {
                stack.SandboxTelemetry.Metrics.Clear();
                TelemetryFixture.FlushMetrics(stack.Sandbox.Services);
                return Task.FromResult(stack.SandboxTelemetry.Metrics.Snapshot());
            },
            m => m.Any(x => x.Name == "codify.executions"), TimeSpan.FromSeconds(30), "an export of codify.executions");

        var executions = exported.First(m => m.Name == "codify.executions");
        Assert.Contains(executions.MetricPoints, p => HasTags(p, ("language", "python"), ("status", "completed")) && p.GetSumLong() >= 1);
        Assert.Equal(MetricType.Histogram, exported.First(m => m.Name == "codify.execution.duration").MetricType);
        Assert.Contains(exported, m => m.Name == "codify.execution.queue_wait");
        Assert.Contains(exported, m => m.Name == "codify.sandbox.free_slots");
        Assert.Contains(exported, m => m.Name == "codify.sandbox.running");
    }

    private static async Task GaugesAsync(MeasurementRecorder recorder, int running, int free, string what) =>
        await Eventually.ReturnsAsync(() =>
            {
                recorder.Measurements.Clear();
                recorder.Observe();
                return Task.FromResult((Running: Last(recorder, "codify.sandbox.running"), Free: Last(recorder, "codify.sandbox.free_slots")));
            },
            g => g.Running == running && g.Free == free, TimeSpan.FromSeconds(20), what);

    private static double? Last(MeasurementRecorder recorder, string instrument) => recorder.Of(instrument).LastOrDefault()?.Value;

    private static bool Is(MeasurementRecorder.Measured m, string language, string status) =>
        m.Tag(SandboxMetrics.LanguageTag) as string == language && m.Tag(SandboxMetrics.StatusTag) as string == status;

    private static bool HasTags(MetricPoint point, params (string Key, string Value)[] expected)
    {
        var tags = new Dictionary<string, object?>();
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return expected.All(e => tags.GetValueOrDefault(e.Key) as string == e.Value);
    }
}
