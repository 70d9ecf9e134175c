using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Health;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Codify.ExecutionApi.Apis;

/// <summary>
/// The seed's health paths over the ASP.NET health checks (which <c>/health</c> also reports to Aspire). Every answer is
/// 200 or 503, never 500: a check that cannot reach Redis reports it within <see cref="HealthOptions.RedisTimeoutMs"/>.
/// </summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/health").WithTags("Health");
        api.MapGet("/", BasicAsync)
            .AllowAnonymous() // probes carry no key; it reveals only that the process answers
            .WithName("Health")
            .WithSummary("Whether the API process answers (liveness); touches nothing else.");
        api.MapGet("/ready", ReadyAsync)
            .AllowAnonymous() // load balancers carry no key; it reveals only ready or not, and why
            .WithName("HealthReady")
            .WithSummary("200 when Redis answers and at least one healthy sandbox replica is registered; else 503 naming why.");
        api.MapGet("/detailed", DetailedAsync)
            .WithName("HealthDetailed")
            .WithSummary("Redis latency, every sandbox replica (slots, isolation, runtimes, last beat), queue length, versions, uptime; 503 when not ready.");
        return app;
    }

    public static async Task<Results<Ok<BasicHealth>, JsonHttpResult<BasicHealth>>> BasicAsync(
        HealthCheckService health, TimeProvider time, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(HealthTags.Live), cancellationToken);
        var now = time.GetUtcNow();
        var answer = new BasicHealth(HealthTags.Wire(report.Status), ServiceInfo.Version, ServiceInfo.StartedAt, ServiceInfo.UptimeSeconds(now), now);
        return report.Status == HealthStatus.Unhealthy ? TypedResults.Json(answer, statusCode: StatusCodes.Status503ServiceUnavailable) : TypedResults.Ok(answer);
    }

    public static async Task<Results<Ok<ReadyHealth>, JsonHttpResult<ReadyHealth>>> ReadyAsync(
        HealthCheckService health, HttpContext http, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(HealthTags.Ready), cancellationToken);
        var failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key}: {e.Value.Description}").ToList();
        var checks = report.Entries.ToDictionary(e => e.Key, e => new CheckSummary(HealthTags.Wire(e.Value.Status), e.Value.Description));
        if (IsReady(report))
        {
            return TypedResults.Ok(new ReadyHealth("ready", null, checks));
        }

        RetryAfter.Set(http.Response, RetryAfter.UnavailableSeconds);
        return TypedResults.Json(new ReadyHealth("not_ready", string.Join("; ", failing), checks),
            statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    public static async Task<Results<Ok<DetailedHealth>, JsonHttpResult<DetailedHealth>>> DetailedAsync(
        HealthCheckService health, TimeProvider time, HttpContext http, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(HealthTags.Ready) || r.Tags.Contains(HealthTags.Detail), cancellationToken);
        var ready = IsReady(new HealthReport(
            report.Entries.Where(e => e.Value.Tags.Contains(HealthTags.Ready)).ToDictionary(), report.TotalDuration));
        var versions = new Dictionary<string, string> { ["codify"] = ServiceInfo.Version, ["dotnet"] = ServiceInfo.Runtime };
        if (report.Entries.TryGetValue(HealthTags.Redis, out var redis) && redis.Data.TryGetValue("version", out var redisVersion))
        {
            versions["redis"] = redisVersion.ToString()!;
        }

        var now = time.GetUtcNow();
        var answer = new DetailedHealth(HealthTags.Wire(report.Status), ready, now, ServiceInfo.StartedAt, ServiceInfo.UptimeSeconds(now),
            versions, report.Entries.ToDictionary(e => e.Key, e => (IReadOnlyDictionary<string, object?>)Describe(e.Value)));
        if (ready)
        {
            return TypedResults.Ok(answer);
        }

        RetryAfter.Set(http.Response, RetryAfter.UnavailableSeconds);
        return TypedResults.Json(answer, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static bool IsReady(HealthReport report) =>
        report.Entries.Count > 0 && report.Entries.Values.All(e => e.Status == HealthStatus.Healthy);

    private static Dictionary<string, object?> Describe(HealthReportEntry entry)
    {
        var described = new Dictionary<string, object?>
        {
            ["status"] = HealthTags.Wire(entry.Status),
            ["description"] = entry.Description,
            ["durationMs"] = Math.Round(entry.Duration.TotalMilliseconds, 2),
        };
        foreach (var (key, value) in entry.Data)
        {
            described[key] = value;
        }

        return described;
    }
}
