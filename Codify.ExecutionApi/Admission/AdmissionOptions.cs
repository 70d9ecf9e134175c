using System.ComponentModel.DataAnnotations;

namespace Codify.ExecutionApi.Admission;

/// <summary>What the API admits before any handler runs: body size and queue length. Section "Executions".</summary>
public sealed class AdmissionOptions
{
    public const string Section = "Executions";

    /// <summary>
    /// Largest request body in bytes; larger ones get 413. Room for the largest stdin (1 MiB) and program (CODE_SIZE_LIMIT, 50 KiB)
    /// even when JSON escaping inflates them.
    /// </summary>
    [Range(1024, 256L << 20, ErrorMessage = "Executions:MaxRequestBodyBytes must be from {1} to {2} bytes")]
    public long MaxRequestBodyBytes { get; set; } = 4L << 20;

    /// <summary>Jobs waiting for a sandbox (not yet taken by one) beyond which new executions get 503.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Executions:MaxQueueLength must be from {1} to {2}")]
    public int MaxQueueLength { get; set; } = 1000;

    /// <summary>The Retry-After of a 503 for a full queue.</summary>
    [Range(1, 3600, ErrorMessage = "Executions:QueueFullRetryAfterSeconds must be from {1} to {2}")]
    public int QueueFullRetryAfterSeconds { get; set; } = 5;
}
