using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Admission;

/// <summary>One request's standing in its client's window.</summary>
public sealed record RateLimitDecision(bool Allowed, int Limit, int Remaining, int ResetSeconds, int WindowSeconds);

/// <summary>
/// Fixed-window counter per client in Redis, so every API replica draws on the same budget. One Lua script increments and
/// starts the window atomically: concurrent requests on any replica can never admit more than the limit.
/// </summary>
public sealed class RedisRateLimiter(IConnectionMultiplexer redis, IOptions<RateLimitOptions> options)
{
    public const string KeyPrefix = "codify:ratelimit:";

    // The PTTL guard repairs a counter left without expiry (it would otherwise block its client forever).
    private const string Script = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
        end
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          ttl = tonumber(ARGV[1])
        end
        return { count, ttl }
        """;

    /// <summary>Counts one request of <paramref name="client"/> (a <see cref="ClientIdentity"/> partition).</summary>
    public async Task<RateLimitDecision> AcquireAsync(string client)
    {
        var o = options.Value;
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script,
            [new RedisKey(KeyPrefix + client)], [o.DurationSeconds * 1000L]))!;
        var count = (long)result[0];
        var ttlMs = (long)result[1];
        return new RateLimitDecision(
            Allowed: count <= o.Points,
            Limit: o.Points,
            Remaining: (int)Math.Max(0, o.Points - count),
            ResetSeconds: (int)Math.Max(1, (ttlMs + 999) / 1000),
            WindowSeconds: o.DurationSeconds);
    }
}
