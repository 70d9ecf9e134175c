using Microsoft.Extensions.Configuration;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Codify.Hosting;

/// <summary>
/// OTLP export per signal (the endpoint, headers and protocol the orchestrator sets, OTEL_EXPORTER_OTLP_*), with the
/// trace exporter behind <see cref="KeptTraceProcessor"/> and metrics at <see cref="TelemetryOptions.MetricExportIntervalMs"/>.
/// </summary>
public static class TelemetryExport
{
    public static void AddOtlp(IOpenTelemetryBuilder telemetry, IConfiguration configuration)
    {
        var settings = TelemetryOptions.From(configuration);
        telemetry.WithLogging(logging => logging.AddOtlpExporter(otlp => Apply(otlp, configuration, "v1/logs")));
        telemetry.WithMetrics(metrics => metrics.AddOtlpExporter((otlp, reader) =>
        {
            Apply(otlp, configuration, "v1/metrics");
            reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = settings.MetricExportIntervalMs;
        }));
        telemetry.WithTracing(tracing => tracing.AddProcessor(_ =>
        {
            var otlp = new OtlpExporterOptions();
            Apply(otlp, configuration, "v1/traces");
            var batch = new BatchExportActivityProcessorOptions();
            var exporter = new BatchActivityExportProcessor(new OtlpTraceExporter(otlp),
                batch.MaxQueueSize, batch.ScheduledDelayMilliseconds, batch.ExporterTimeoutMilliseconds, batch.MaxExportBatchSize);
            return new KeptTraceProcessor(exporter, settings.SlowRunMs);
        }));
    }

    /// <summary>The service's configuration (environment included) wins over the exporter's own read of the environment.</summary>
    private static void Apply(OtlpExporterOptions otlp, IConfiguration configuration, string signalPath)
    {
        if (configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] is { Length: > 0 } protocol)
        {
            otlp.Protocol = protocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        }

        if (configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 } endpoint)
        {
            // Set in code, the generic endpoint is taken as is: over HTTP each signal has its own path.
            otlp.Endpoint = otlp.Protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri(new Uri(endpoint.TrimEnd('/') + "/"), signalPath)
                : new Uri(endpoint);
        }

        if (configuration["OTEL_EXPORTER_OTLP_HEADERS"] is { Length: > 0 } headers)
        {
            otlp.Headers = headers;
        }

        if (int.TryParse(configuration["OTEL_EXPORTER_OTLP_TIMEOUT"], out var timeoutMs))
        {
            otlp.TimeoutMilliseconds = timeoutMs;
        }
    }
}
