using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Codify.Tests.Telemetry;

/// <summary>
/// What one service host exports, caught by in-memory exporters added to the host's own OpenTelemetry pipeline (the
/// one the service defaults configure, whose OTLP exporter feeds the dashboard). Span listeners are process-wide, so
/// spans of other hosts in this test process show up too: tests select theirs by trace id.
/// </summary>
public sealed class TelemetryCapture
{
    public LockedCollection<Activity> Spans { get; } = new();

    public LockedCollection<LogRecord> Logs { get; } = new();

    public LockedCollection<MetricSnapshot> Metrics { get; } = new();

    public void AddTo(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services => services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddInMemoryExporter(Spans))
            .WithLogging(logging => logging.AddInMemoryExporter(Logs))
            .WithMetrics(metrics => metrics.AddInMemoryExporter(Metrics)));

    public Activity[] SpansOf(ActivityTraceId traceId) => [.. Spans.Snapshot().Where(s => s.TraceId == traceId)];

    public LogRecord[] LogsOf(ActivityTraceId traceId) => [.. Logs.Snapshot().Where(l => l.TraceId == traceId)];
}
