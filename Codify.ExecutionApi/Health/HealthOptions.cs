using System.ComponentModel.DataAnnotations;

namespace Codify.ExecutionApi.Health;

/// <summary>How long the health checks and <c>/api/stats</c> wait for Redis before answering without it. Section "Health".</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>
    /// Longest wait for one Redis read, in ms. Shorter than the Redis client's own timeout (5 s), so a probe with Redis
    /// gone answers "redis down" at once instead of hanging until the client gives up.
    /// </summary>
    [Range(50, 30_000, ErrorMessage = "Health:RedisTimeoutMs must be from {1} to {2} ms")]
    public int RedisTimeoutMs { get; set; } = 1000;

    public TimeSpan RedisTimeout => TimeSpan.FromMilliseconds(RedisTimeoutMs);
}
