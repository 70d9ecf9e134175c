using System.ComponentModel.DataAnnotations;

namespace Codify.ExecutionApi.Cancellation;

/// <summary>How <c>DELETE /api/execute/{id}</c> waits for a running execution to die. Section "Cancellation".</summary>
public sealed class CancelOptions
{
    public const string Section = "Cancellation";

    /// <summary>How long the DELETE waits for the kill to finish before answering 202 (the kill goes on regardless).</summary>
    [Range(0, 30_000)]
    public int WaitMilliseconds { get; set; } = 2000;
}
