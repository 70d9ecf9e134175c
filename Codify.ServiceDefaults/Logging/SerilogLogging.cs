using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Serilog as every service's logging pipeline: structured console output, and every event handed on to the
/// OpenTelemetry logger provider (so OTLP carries it to the Aspire dashboard, with the trace it belongs to).
/// Levels come from the usual <c>Logging:LogLevel</c> section; <c>Logging:Console:FormatterName=json</c> switches the
/// console to compact JSON lines.
/// </summary>
public static class SerilogLogging
{
    private const string TextTemplate =
        "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}";

    /// <summary>Call before <c>ConfigureOpenTelemetry</c>: it removes the default providers, then OpenTelemetry's is added.</summary>
    public static TBuilder AddSerilogLogging<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // The console provider would double every line: Serilog's console sink replaces it. Providers registered
        // afterwards (OpenTelemetry's) receive every Serilog event through writeToProviders.
        builder.Logging.ClearProviders();
        // preserveStaticLogger: several hosts share one process in tests; none may take over the static Log.Logger.
        builder.Services.AddSerilog((_, logger) => Configure(logger, builder.Configuration),
            preserveStaticLogger: true, writeToProviders: true);
        builder.Services.AddSingleton<IStartupFilter, RequestLoggingStartupFilter>();
        return builder;
    }

    private static void Configure(LoggerConfiguration logger, IConfiguration configuration)
    {
        var levels = configuration.GetSection("Logging:LogLevel");
        logger.MinimumLevel.Is(ToSerilog(levels["Default"]) ?? LogEventLevel.Information);
        foreach (var category in levels.GetChildren())
        {
            if (category.Key != "Default" && ToSerilog(category.Value) is { } level)
            {
                logger.MinimumLevel.Override(category.Key, level);
            }
        }

        logger.Enrich.FromLogContext();
        var json = string.Equals(configuration["Logging:Console:FormatterName"], "json", StringComparison.OrdinalIgnoreCase);
        // A sub-logger works on a copy: the event id leaves the console lines only (OpenTelemetry keeps it as the record's EventId).
        logger.WriteTo.Logger(console =>
        {
            console.Enrich.With<WithoutEventId>();
            if (json)
            {
                console.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
            else
            {
                console.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: CultureInfo.InvariantCulture);
            }
        });
    }

    private sealed class WithoutEventId : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory) => logEvent.RemovePropertyIfPresent("EventId");
    }

    /// <summary>A Microsoft.Extensions.Logging level name as Serilog's level; <c>None</c> keeps only fatal events.</summary>
    internal static LogEventLevel? ToSerilog(string? level) =>
        Enum.TryParse<LogLevel>(level, ignoreCase: true, out var parsed)
            ? parsed switch
            {
                LogLevel.Trace => LogEventLevel.Verbose,
                LogLevel.Debug => LogEventLevel.Debug,
                LogLevel.Information => LogEventLevel.Information,
                LogLevel.Warning => LogEventLevel.Warning,
                LogLevel.Error => LogEventLevel.Error,
                _ => LogEventLevel.Fatal,
            }
            : null;
}
