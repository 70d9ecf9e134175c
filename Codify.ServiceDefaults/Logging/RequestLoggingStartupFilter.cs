using System.Diagnostics;
using Codify.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// One Serilog line per HTTP request, first in the pipeline so refused and failed requests are logged too. Requests
/// about one execution carry its id: from the <c>{id}</c> route value, or from the span of the request that created it.
/// Only method, path (no query), status and time are logged: never a body.
/// </summary>
internal sealed class RequestLoggingStartupFilter : IStartupFilter
{
    /// <summary>Probes the orchestrator sends every few seconds: logged only at Verbose.</summary>
    private static readonly PathString[] ProbePaths = ["/health", "/alive"];

    /// <summary>The route parameter that names an execution (<c>/api/execute/{id}</c> and below).</summary>
    private const string ExecutionRouteValue = "id";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var logger = app.ApplicationServices.GetRequiredService<ILogger>();
        app.UseSerilogRequestLogging(options =>
        {
            options.Logger = logger;
            // ":l" renders the strings bare in the OpenTelemetry log body too (the console template already does).
            options.MessageTemplate = "HTTP {RequestMethod:l} {RequestPath:l} responded {StatusCode} in {Elapsed:0.0000} ms";
            options.GetLevel = Level;
            options.EnrichDiagnosticContext = Enrich;
        });
        next(app);
    };

    private static LogEventLevel Level(HttpContext context, double elapsedMs, Exception? exception) =>
        exception is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError
            ? LogEventLevel.Error
            : ProbePaths.Any(p => context.Request.Path.StartsWithSegments(p)) ? LogEventLevel.Verbose : LogEventLevel.Information;

    private static void Enrich(IDiagnosticContext diagnostics, HttpContext context)
    {
        var request = Activity.Current;
        if (context.GetRouteValue(ExecutionRouteValue) is string routeId)
        {
            request?.SetTag(CodifyTelemetry.ExecutionIdTag, routeId);
            diagnostics.Set(CodifyTelemetry.ExecutionIdProperty, routeId);
        }
        else if (request?.GetTagItem(CodifyTelemetry.ExecutionIdTag) is string createdId)
        {
            diagnostics.Set(CodifyTelemetry.ExecutionIdProperty, createdId);
        }
    }
}
