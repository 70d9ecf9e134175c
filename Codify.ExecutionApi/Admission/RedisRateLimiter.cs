using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Admission;

/// <summary>One request's standing in its client's window.</summary>
public sealed record RateLimitDecision(bool Allowed, int Limit, int Remaining, int ResetSeconds, int WindowSeconds);

/// <summary>
/// Fixed-window counter per client in Redis, so every API replica draws on the same budget. Lua increments and starts the
/// window atomically: concurrent requests on any replica can never admit more than the limit. The counting runs inside the
/// intake's one admission script (Intake/ExecutionBudget), with the queue and sandbox checks.
/// </summary>
public sealed class RedisRateLimiter(IOptions<RateLimitOptions> options)
{
    public const string KeyPrefix = "codify:ratelimit:";

    /// <summary>
    /// Counts one request in the window of key <paramref name="key"/> lasting <paramref name="windowMs"/> (Lua expressions)
    /// and sets the locals <c>count</c> and <c>ttl</c>. The PTTL guard repairs a counter left without expiry (it would
    /// otherwise block its client forever).
    /// </summary>
    public static string CountSnippet(string key, string windowMs) => $"""
        local count = redis.call('INCR', {key})
        if count == 1 then
          redis.call('PEXPIRE', {key}, {windowMs})
        end
        local ttl = redis.call('PTTL', {key})
        if ttl < 0 then
          redis.call('PEXPIRE', {key}, {windowMs})
          ttl = tonumber({windowMs})
        end

        """;

    /// <summary>The counter of <paramref name="client"/> (a <see cref="ClientIdentity"/> partition).</summary>
    public static RedisKey Key(string client) => new(KeyPrefix + client);

    /// <summary>The window's length, as the script's argument.</summary>
    public long WindowMs => options.Value.DurationSeconds * 1000L;

    /// <summary>The decision for a request counted <paramref name="count"/>-th in a window ending in <paramref name="ttlMs"/>.</summary>
    public RateLimitDecision Decide(long count, long ttlMs)
    {
        var o = options.Value;
        return new RateLimitDecision(
            Allowed: count <= o.Points,
            Limit: o.Points,
            Remaining: (int)Math.Max(0, o.Points - count),
            ResetSeconds: (int)Math.Max(1, (ttlMs + 999) / 1000),
            WindowSeconds: o.DurationSeconds);
    }
}
