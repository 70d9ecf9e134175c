namespace Codify.Contracts;

/// <summary>
/// Span attributes of an execution, the same in the API and the Sandbox. Ids, languages, limits, verdicts and
/// measurements only: never the code, its stdin or its output.
/// </summary>
public static class ExecutionTags
{
    public const string Id = "codify.execution.id";
    public const string Language = "codify.execution.language";
    public const string Status = "codify.execution.status";
    public const string ExitCode = "codify.execution.exit_code";
    public const string Signal = "codify.execution.signal";
    public const string LimitExceeded = "codify.execution.limit_exceeded";
    public const string WallTimeMs = "codify.execution.wall_time_ms";
    public const string CpuTimeMs = "codify.execution.cpu_time_ms";
    public const string MemoryPeakBytes = "codify.execution.memory_peak_bytes";
    public const string QueueWaitMs = "codify.execution.queue_wait_ms";

    /// <summary>The requested limits, as <c>codify.limits.*</c> attributes.</summary>
    public static KeyValuePair<string, object?>[] Limits(ExecutionLimits limits) =>
    [
        new("codify.limits.wall_time_ms", limits.WallTimeMs),
        new("codify.limits.cpu_time_ms", limits.CpuTimeMs),
        new("codify.limits.memory_bytes", limits.MemoryBytes),
        new("codify.limits.processes", limits.Processes),
        new("codify.limits.output_bytes", limits.OutputBytes),
        new("codify.limits.file_size_bytes", limits.FileSizeBytes),
    ];

    /// <summary>What a run ended with (its <see cref="ExecutionResult.Message"/>, stdout and stderr are left out).</summary>
    public static KeyValuePair<string, object?>[] Outcome(ExecutionResult result) =>
    [
        new(Status, result.Status.ToWire()),
        new(ExitCode, result.ExitCode),
        new(Signal, result.Signal),
        new(LimitExceeded, result.LimitExceeded),
        new(WallTimeMs, result.WallTimeMs),
        new(CpuTimeMs, result.CpuTimeMs),
        new(MemoryPeakBytes, result.MemoryPeakBytes),
    ];
}
