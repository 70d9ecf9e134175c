using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Health;
using Codify.ExecutionApi.Runtimes;

namespace Codify.ExecutionApi.Intake;

/// <summary>Every refusal of the intake, its status, words and Retry-After, written once for all transports.</summary>
public static class IntakeRefusals
{
    public const string NoSandboxTitle = "No sandbox available";

    public const string NoSandboxDetail = "No sandbox that can isolate programs is available; nothing was queued. Retry later.";

    public static IntakeRefused RateLimited(RateLimitDecision decision) => new("rate_limited", StatusCodes.Status429TooManyRequests,
        "Too many requests",
        $"At most {decision.Limit} executions per client per window (RATE_LIMIT_POINTS per RATE_LIMIT_DURATION seconds); " +
        $"the window resets in {decision.ResetSeconds} s.", decision.ResetSeconds);

    public static IntakeRefused QueueFull(int max, int retryAfterSeconds) => new("queue_full", StatusCodes.Status503ServiceUnavailable,
        "Execution queue full",
        $"{max} executions are already waiting for a sandbox (Executions:MaxQueueLength); nothing was queued. Retry later.",
        retryAfterSeconds);

    public static IntakeRefused NoSandbox() => new("no_sandbox", StatusCodes.Status503ServiceUnavailable,
        NoSandboxTitle, NoSandboxDetail, RetryAfter.UnavailableSeconds);

    public static IntakeRefused RuntimesUnknown() => new("runtimes_unknown", StatusCodes.Status503ServiceUnavailable,
        RuntimeCatalog.NotPublishedTitle, RuntimeCatalog.NotPublishedDetail, RetryAfter.UnavailableSeconds);

    /// <param name="reason">What failed, short (<see cref="RedisFailure.Describe"/>): a lost connection or a slow answer.</param>
    public static IntakeRefused RedisUnavailable(string reason) => new("redis_unavailable", StatusCodes.Status503ServiceUnavailable,
        RedisFailure.Title, $"The execution store (Redis) does not answer ({reason}); nothing was queued. Retry later.",
        RetryAfter.UnavailableSeconds);
}
