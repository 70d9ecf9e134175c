using Codify.Contracts;
using Codify.ExecutionApi.Admission;

namespace Codify.ExecutionApi.Intake;

/// <summary>
/// What <see cref="ExecutionIntake"/> decided about one submission. Every transport maps these to its own reply shape
/// (HTTP problem, Piston message, WebSocket error); none adds a rule of its own.
/// </summary>
public abstract record IntakeOutcome
{
    /// <summary>The client's standing in its rate-limit window, when the budget was consulted (HTTP sends it as headers).</summary>
    public RateLimitDecision? RateLimit { get; init; }
}

/// <summary>Queued: the record exists and its job is on the stream. <see cref="Runtime"/> is known when a version was asked for.</summary>
public sealed record IntakeQueued(ExecutionRecord Record, ExecutionSpec Spec, RuntimeInfo? Runtime) : IntakeOutcome;

/// <summary>The request itself is wrong (400): each error names its field (JSON path) and the limit or the expected value.</summary>
public sealed record IntakeInvalid(Dictionary<string, string[]> Errors, string? AvailableVersion = null) : IntakeOutcome;

/// <summary>
/// Not queued for a reason that is not the request's shape: <c>rate_limited</c> (429), <c>queue_full</c>, <c>no_sandbox</c>,
/// <c>runtimes_unknown</c>, <c>redis_unavailable</c> (503). Every refusal says when to retry.
/// </summary>
public sealed record IntakeRefused(string Reason, int StatusCode, string Title, string Detail, int RetryAfterSeconds) : IntakeOutcome;

/// <summary>A batch judged entry by entry: each item is <see cref="IntakeQueued"/> or <see cref="IntakeInvalid"/>, in request order.</summary>
public sealed record IntakeBatch(IReadOnlyList<IntakeOutcome> Items) : IntakeOutcome;
