using System.ComponentModel.DataAnnotations;

namespace Codify.Sandbox;

/// <summary>How this Sandbox replica takes work. Bound from the "Sandbox" section; MAX_CONCURRENT_EXECUTIONS overrides the slot count.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>Executions this replica runs at once (MAX_CONCURRENT_EXECUTIONS); it never reads more jobs than it has free slots.</summary>
    [Range(1, 256, ErrorMessage = "MAX_CONCURRENT_EXECUTIONS (Sandbox:MaxConcurrentExecutions) must be from {1} to {2}")]
    public int MaxConcurrentExecutions { get; set; } = 10;

    /// <summary>Unique per process, so a restarted replica's stale entries are seen as another consumer's and reclaimed.</summary>
    [Required]
    public string ConsumerName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A pending job untouched this long belongs to a dead worker and is claimed by another.</summary>
    [Range(1, 3600)]
    public int ReclaimIdleSeconds { get; set; } = 10;

    /// <summary>How often in-flight jobs are touched (must be well under <see cref="ReclaimIdleSeconds"/>) and the heartbeat renewed.</summary>
    [Range(1, 600)]
    public int HeartbeatSeconds { get; set; } = 2;

    /// <summary>
    /// Slot changes (a job taken or let go) are published at most this often, in milliseconds: under load they come many
    /// times a second, and one registry write per change was most of the heartbeat's cost. The first change after a quiet
    /// spell is published at once. Must be under <see cref="HeartbeatSeconds"/>.
    /// </summary>
    [Range(0, 60_000)]
    public int SlotUpdateIntervalMs { get; set; } = 250;

    /// <summary>
    /// On SIGTERM: how long runs under way may go on to their own end (no new job is taken meanwhile); those still
    /// running after it end <c>internal_error</c> saying so. Short by default: Aspire's orchestrator SIGKILLs a service
    /// 6 s after its SIGTERM; give a longer grace where the orchestrator waits longer (Kubernetes: 30 s).
    /// </summary>
    [Range(0, 3600)]
    public int StopGraceSeconds { get; set; } = 4;

    /// <summary>How python runs start: ForkServer (default), Pool or Cold; see <see cref="SandboxMode"/>.</summary>
    [EnumDataType(typeof(SandboxMode))]
    public SandboxMode Mode { get; set; } = SandboxMode.ForkServer;

    /// <summary>Fallback poll interval when no "jobs available" notification arrives.</summary>
    [Range(10, 60_000)]
    public int PollIntervalMs { get; set; } = 1000;
}
