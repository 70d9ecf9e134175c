using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Codify.Hosting;

/// <summary>
/// How much telemetry a service sends (section <c>Telemetry</c>). Under load every span costs the service and the
/// collector (the Aspire dashboard spent about as much CPU ingesting a hello-world run's spans as the Sandbox spent on
/// the run): successful fast traces are sampled, errors and slow ones are always kept.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Share of new traces exported whole (0 to 1, by trace id); the others are exported only if they fail or are slow.</summary>
    [Range(0.0, 1.0)]
    public double SampleRatio { get; set; } = 0.1;

    /// <summary>A trace whose entry span (request, run) lasts at least this long is always exported, in milliseconds.</summary>
    [Range(1, 3_600_000)]
    public int SlowRunMs { get; set; } = 1000;

    /// <summary>One span per Redis command (about 30 per execution): off unless a Redis round trip is being chased.</summary>
    public bool RedisCommandSpans { get; set; }

    /// <summary>How often metrics are exported, in milliseconds (Aspire's development default is 1 s).</summary>
    [Range(1000, 600_000)]
    public int MetricExportIntervalMs { get; set; } = 10_000;

    /// <summary>The bound values as configuration holds them now (for registrations made before the host is built).</summary>
    public static TelemetryOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
}
