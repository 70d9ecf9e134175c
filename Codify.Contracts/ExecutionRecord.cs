namespace Codify.Contracts;

/// <summary>
/// The public view of one execution, flat like Judge0's: what <c>GET /api/execute/{id}</c> returns and
/// what <c>?wait=true</c> answers with. Result fields stay null until the execution has ended.
/// </summary>
public sealed record ExecutionRecord
{
    public required string Id { get; init; }
    public required ExecutionStatus Status { get; init; }
    public required string Language { get; init; }
    public string? Stdout { get; init; }
    public string? Stderr { get; init; }
    public int? ExitCode { get; init; }
    public string? Signal { get; init; }
    public long? WallTimeMs { get; init; }
    public long? CpuTimeMs { get; init; }
    public long? MemoryPeakBytes { get; init; }
    public long? QueueWaitMs { get; init; }
    public bool? StdoutTruncated { get; init; }
    public bool? StderrTruncated { get; init; }
    public string? LimitExceeded { get; init; }
    public string? Message { get; init; }


    /// <summary>Rich outputs of the run (see <see cref="RichOutput"/>); null when there are none.</summary>
    public IReadOnlyList<RichOutput>? Outputs { get; init; }

    /// <summary>Set when outputs were asked for: true when some were left out for the caps.</summary>
    public bool? OutputsTruncated { get; init; }

    /// <summary>The files the program wrote in its work dir, when <c>returnFiles</c> asked for them.</summary>
    public IReadOnlyList<ReturnedFile>? Files { get; init; }

    /// <summary>Set when files were asked for: true when some were left out for the caps.</summary>
    public bool? FilesTruncated { get; init; }

    /// <summary>The session this execution is a cell of; null for a one-shot execution.</summary>
    public string? SessionId { get; init; }

    /// <summary>Set when this cell ended its session (see <see cref="ExecutionResult.SessionEnded"/>).</summary>
    public string? SessionEnded { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }

    public static ExecutionRecord Create(
        string id, ExecutionStatus status, string language, DateTimeOffset createdAt,
        DateTimeOffset? startedAt, DateTimeOffset? completedAt, ExecutionResult? result) => new()
        {
            Id = id,
            Status = status,
            Language = language,
            CreatedAt = createdAt,
            StartedAt = startedAt,
            CompletedAt = completedAt,
            QueueWaitMs = startedAt is { } s ? (long)(s - createdAt).TotalMilliseconds : null,
            Stdout = result?.Stdout,
            Stderr = result?.Stderr,
            ExitCode = result?.ExitCode,
            Signal = result?.Signal,
            WallTimeMs = result?.WallTimeMs,
            CpuTimeMs = result?.CpuTimeMs,
            MemoryPeakBytes = result?.MemoryPeakBytes,
            StdoutTruncated = result?.StdoutTruncated,
            StderrTruncated = result?.StderrTruncated,
            LimitExceeded = result?.LimitExceeded,
            Message = result?.Message,
            Outputs = result?.Outputs,
            OutputsTruncated = result?.OutputsTruncated,
            Files = result?.Files,
            FilesTruncated = result?.FilesTruncated,
            SessionEnded = result?.SessionEnded,
        };
}
