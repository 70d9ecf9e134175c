using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Admission;

/// <summary>Why an execution-creating request was refused: the HTTP status and problem it gets, the metric reason.</summary>
public sealed record AdmissionRefusal(string Reason, int StatusCode, string Title, string Detail, int RetryAfterSeconds);

/// <summary>
/// The limits of every execution-creating request, whatever the transport (HTTP or WebSocket): the client's rate limit,
/// then the global queue cap. Redis failures are left to the caller (it answers "unavailable" its own way).
/// </summary>
public sealed class ExecutionAdmission(RedisRateLimiter limiter, QueueGauge queue, IOptions<AdmissionOptions> options, AdmissionMetrics metrics)
{
    /// <summary>Counts one execution of <paramref name="client"/> (a <see cref="ClientIdentity"/> partition); the refusal is null when admitted.</summary>
    public async Task<(RateLimitDecision Decision, AdmissionRefusal? Refusal)> AdmitAsync(string client)
    {
        var decision = await limiter.AcquireAsync(client);
        if (!decision.Allowed)
        {
            metrics.Rejected("rate_limited");
            return (decision, new AdmissionRefusal("rate_limited", StatusCodes.Status429TooManyRequests, "Too many requests",
                $"At most {decision.Limit} executions per client per window (RATE_LIMIT_POINTS per RATE_LIMIT_DURATION seconds); " +
                $"the window resets in {decision.ResetSeconds} s.", decision.ResetSeconds));
        }

        var max = options.Value.MaxQueueLength;
        if (await queue.WaitingAsync() >= max)
        {
            metrics.Rejected("queue_full");
            return (decision, new AdmissionRefusal("queue_full", StatusCodes.Status503ServiceUnavailable, "Execution queue full",
                $"{max} executions are already waiting for a sandbox (Executions:MaxQueueLength); nothing was queued. Retry later.",
                options.Value.QueueFullRetryAfterSeconds));
        }

        return (decision, null);
    }
}
