using System.ComponentModel.DataAnnotations;

namespace Codify.ExecutionApi.Callbacks;

/// <summary>Signed result callbacks (section "Callbacks"). Without a <see cref="Secret"/>, requests with a callbackUrl are refused.</summary>
public sealed class CallbackOptions
{
    public const string Section = "Callbacks";

    /// <summary>Shortest secret accepted: an HMAC key much shorter than its hash is guessable.</summary>
    public const int MinSecretLength = 16;

    /// <summary>The HMAC-SHA256 key every callback is signed with; shared with the receivers.</summary>
    public string? Secret { get; set; }

    /// <summary>Allows callbacks to loopback, private, link-local and CGNAT addresses (tests, private deployments). Off by default: no SSRF.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Attempts per callback, the first included; 5xx, 408, 429 and transport errors are retried.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First retry delay; later ones grow exponentially (with jitter), each at most 30 s.</summary>
    [Range(1, 30_000)]
    public int RetryDelayMs { get; set; } = 1000;

    /// <summary>Bound on one attempt (connect, send, response headers).</summary>
    [Range(1, 300)]
    public int AttemptTimeoutSeconds { get; set; } = 10;

    /// <summary>Bound on a whole delivery, every retry included; must stay under <see cref="ReclaimIdleSeconds"/>.</summary>
    [Range(1, 3600)]
    public int TotalTimeoutSeconds { get; set; } = 90;

    /// <summary>A pending delivery untouched this long belongs to a dead API replica and is claimed by another.</summary>
    [Range(2, 7200)]
    public int ReclaimIdleSeconds { get; set; } = 120;

    /// <summary>Deliveries one replica makes at once, so one slow receiver does not hold up the others.</summary>
    [Range(1, 256)]
    public int MaxConcurrentDeliveries { get; set; } = 8;

    /// <summary>Fallback poll interval when no "callback queued" notification arrives.</summary>
    [Range(10, 60_000)]
    public int PollIntervalMs { get; set; } = 1000;

    /// <summary>Bound on resolving the callback host when a request is validated.</summary>
    [Range(1, 60)]
    public int ResolveTimeoutSeconds { get; set; } = 5;

    /// <summary>Unique per process, so a restarted replica's pending deliveries are seen as another consumer's and reclaimed.</summary>
    [Required]
    public string ConsumerName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    public bool IsConfigured => !string.IsNullOrEmpty(Secret);
}
