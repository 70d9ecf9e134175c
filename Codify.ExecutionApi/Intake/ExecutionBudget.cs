using Codify.Contracts;
using Codify.ExecutionApi.Admission;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Intake;

/// <summary>
/// The intake's first step: the client's rate limit, then the global queue cap. It runs before the request is judged, so
/// invalid attempts spend the budget too (a client cannot probe the validator for free). The same Redis round trip reads
/// whether a sandbox can take the work (<see cref="Spent.SandboxReady"/>), which the intake checks after judging the
/// request: one script instead of three sequential calls on every submission.
/// </summary>
public sealed class ExecutionBudget(
    IConnectionMultiplexer redis, RedisRateLimiter limiter, SandboxAvailability sandboxes, IOptions<AdmissionOptions> options)
{
    // KEYS: the client's rate-limit counter, the job stream, the healthy replicas. ARGV: window (ms), consumer group, fresh-since (unix ms).
    private static readonly string Script =
        RedisRateLimiter.CountSnippet("KEYS[1]", "ARGV[1]")
        + QueueGauge.WaitingSnippet("KEYS[2]", "ARGV[2]")
        + SandboxAvailability.HealthySnippet("KEYS[3]", "ARGV[3]")
        + "return { count, ttl, waiting, healthy }";

    /// <summary>What one submission's spend found; <see cref="Refusal"/> is null when admitted.</summary>
    public sealed record Spent(RateLimitDecision Decision, IntakeRefused? Refusal, bool SandboxReady);

    /// <summary>Counts one submission of <paramref name="client"/> (a <see cref="ClientIdentity"/> partition).</summary>
    public async Task<Spent> SpendAsync(string client)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script,
            [RedisRateLimiter.Key(client), RedisKeys.JobStream, RedisKeys.HealthySandboxes],
            [limiter.WindowMs, RedisKeys.SandboxGroup, sandboxes.FreshSince()]))!;
        var decision = limiter.Decide((long)result[0], (long)result[1]);
        var ready = (long)result[3] > 0;
        if (!decision.Allowed)
        {
            return new(decision, IntakeRefusals.RateLimited(decision), ready);
        }

        var max = options.Value.MaxQueueLength;
        return (long)result[2] >= max
            ? new(decision, IntakeRefusals.QueueFull(max, options.Value.QueueFullRetryAfterSeconds), ready)
            : new(decision, null, ready);
    }
}
