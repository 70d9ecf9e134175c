using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Health;
using Codify.ExecutionApi.Stats;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Apis;

public static class StatsApi
{
    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/stats", GetStatsAsync)
            .WithTags("Stats")
            .WithName("GetStats")
            .WithSummary("Executions ended in the last 5 min, 1 h and 24 h: counts by status and language, p50/p95 run time and queue wait.");
        return app;
    }

    public static async Task<Results<Ok<ExecutionStats>, ProblemHttpResult>> GetStatsAsync(
        ExecutionStatsReader reader, IOptions<HealthOptions> options, HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await reader.ReadAsync().WaitAsync(options.Value.RedisTimeout, cancellationToken));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            RetryAfter.Set(http.Response, RetryAfter.UnavailableSeconds);
            return TypedResults.Problem($"The statistics live in Redis, which failed: {RedisFailure.Describe(e, options.Value.RedisTimeout)}.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Statistics unavailable");
        }
    }
}
