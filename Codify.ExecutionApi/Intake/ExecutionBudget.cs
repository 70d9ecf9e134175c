using Codify.ExecutionApi.Admission;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Intake;

/// <summary>
/// The intake's first step: the client's rate limit, then the global queue cap. It runs before the request is judged, so
/// invalid attempts spend the budget too (a client cannot probe the validator for free).
/// </summary>
public sealed class ExecutionBudget(RedisRateLimiter limiter, QueueGauge queue, IOptions<AdmissionOptions> options)
{
    /// <summary>Counts one submission of <paramref name="client"/> (a <see cref="ClientIdentity"/> partition); the refusal is null when admitted.</summary>
    public async Task<(RateLimitDecision Decision, IntakeRefused? Refusal)> SpendAsync(string client)
    {
        var decision = await limiter.AcquireAsync(client);
        if (!decision.Allowed)
        {
            return (decision, IntakeRefusals.RateLimited(decision));
        }

        var max = options.Value.MaxQueueLength;
        return await queue.WaitingAsync() >= max
            ? (decision, IntakeRefusals.QueueFull(max, options.Value.QueueFullRetryAfterSeconds))
            : (decision, null);
    }
}
