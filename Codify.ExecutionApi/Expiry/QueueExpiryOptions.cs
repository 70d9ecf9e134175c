using System.ComponentModel.DataAnnotations;

namespace Codify.ExecutionApi.Expiry;

/// <summary>How long an execution may wait for a sandbox before it ends without running (section <c>Executions</c>).</summary>
public sealed class QueueExpiryOptions
{
    public const string Section = "Executions";

    [Range(1, 7 * 24 * 3600, ErrorMessage = "Executions:MaxQueueWaitSeconds must be from {1} to {2}")]
    public int MaxQueueWaitSeconds { get; set; } = 300;

    /// <summary>How often each API replica looks: a quarter of the wait, at least every 5 s, at most 4 times a second.</summary>
    internal TimeSpan CheckInterval => TimeSpan.FromMilliseconds(Math.Clamp(MaxQueueWaitSeconds * 250, 250, 5000));
}
