using System.ComponentModel.DataAnnotations;

namespace Codify.ExecutionApi.Admission;

/// <summary>
/// The budget of execution-creating requests per client, shared by every API replica through Redis.
/// Section "RateLimit"; the seed's RATE_LIMIT_POINTS and RATE_LIMIT_DURATION win over it.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimit";
    public const string PointsVariable = "RATE_LIMIT_POINTS";
    public const string DurationVariable = "RATE_LIMIT_DURATION";

    /// <summary>Requests a client may make per window (RATE_LIMIT_POINTS).</summary>
    [Range(1, 1_000_000_000, ErrorMessage = "RATE_LIMIT_POINTS (RateLimit:Points) must be from {1} to {2}")]
    public int Points { get; set; } = 10;

    /// <summary>Length of the window in seconds (RATE_LIMIT_DURATION).</summary>
    [Range(1, 24 * 3600, ErrorMessage = "RATE_LIMIT_DURATION (RateLimit:DurationSeconds) must be from {1} to {2} seconds")]
    public int DurationSeconds { get; set; } = 60;
}
