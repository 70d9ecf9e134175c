using System.ComponentModel.DataAnnotations;

namespace Codify.Hosting;

/// <summary>How long a service waits for Redis before it calls Redis unavailable (section <c>Redis</c>).</summary>
public sealed class RedisClientOptions
{
    public const string Section = "Redis";

    /// <summary>
    /// Connect, command and reconnect-backlog timeout, in milliseconds. A paused or vanished Redis then costs a request
    /// about this long (a 503), not the client library's 5 s.
    /// </summary>
    [Range(100, 60_000)]
    public int TimeoutMs { get; set; } = 1000;
}
