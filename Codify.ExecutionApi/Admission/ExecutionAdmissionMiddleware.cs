using System.Globalization;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Admission;

/// <summary>
/// For requests that create executions (POST /api/execute, its batch, Piston's /api/v2/execute): the client's rate limit (429), then the global
/// queue cap (503). Accepted requests carry the RateLimit headers too. Reads (GET) are not limited.
/// </summary>
public sealed partial class ExecutionAdmissionMiddleware(
    RequestDelegate next,
    ExecutionAdmission admission,
    AdmissionMetrics metrics,
    ILogger<ExecutionAdmissionMiddleware> logger)
{
    /// <summary>
    /// Only endpoints marked with <see cref="ExecutionAdmissionEndpointExtensions.RequireExecutionAdmission"/> (POST
    /// /api/execute, its batch, Piston's /api/v2/execute): reads, cancels and stdin for a running program are never refused.
    /// </summary>
    public static bool CreatesExecutions(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<ExecutionAdmissionMetadata>() is not null;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!CreatesExecutions(context))
        {
            await next(context);
            return;
        }

        try
        {
            var (decision, refusal) = await admission.AdmitAsync(ClientIdentity.Of(context));
            WriteRateLimitHeaders(context.Response.Headers, decision);
            if (refusal is not null)
            {
                await AdmissionProblems.WriteAsync(context, refusal.StatusCode, refusal.Title, refusal.Detail, refusal.RetryAfterSeconds);
                return;
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogRedisUnavailable(logger, e);
            metrics.Rejected("redis_unavailable");
            await AdmissionProblems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "The rate limiter's store (Redis) does not answer; nothing was queued. Retry later.", 5);
            return;
        }

        await next(context);
    }

    /// <summary>The draft-ietf-httpapi-ratelimit-headers fields as separate headers, plus the policy (points;w=seconds).</summary>
    private static void WriteRateLimitHeaders(IHeaderDictionary headers, RateLimitDecision decision)
    {
        headers["RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Reset"] = decision.ResetSeconds.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Policy"] = string.Create(CultureInfo.InvariantCulture, $"{decision.Limit};w={decision.WindowSeconds}");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable for admission; answering 503")]
    private static partial void LogRedisUnavailable(ILogger logger, Exception exception);
}
