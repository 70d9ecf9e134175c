namespace Codify.Contracts;

/// <summary>What one run produced, as measured by the Sandbox.</summary>
public sealed record ExecutionResult
{
    public required ExecutionStatus Status { get; init; }
    public string Stdout { get; init; } = "";
    public string Stderr { get; init; } = "";
    public int? ExitCode { get; init; }
    public string? Signal { get; init; }
    public long WallTimeMs { get; init; }
    public long? CpuTimeMs { get; init; }
    public long? MemoryPeakBytes { get; init; }
    public bool StdoutTruncated { get; init; }
    public bool StderrTruncated { get; init; }

    /// <summary>Which clock ran out for <see cref="ExecutionStatus.TimeLimitExceeded"/>: "wall" or "cpu".</summary>
    public string? LimitExceeded { get; init; }

    /// <summary>A human-readable reason, set for internal errors and limit verdicts.</summary>
    public string? Message { get; init; }

    /// <summary>Rich outputs (figures, the trailing expression's value), when the request asked for them; else null.</summary>
    public IReadOnlyList<RichOutput>? Outputs { get; init; }

    /// <summary>Set when outputs were asked for: true when some were left out for the caps (Capture section).</summary>
    public bool? OutputsTruncated { get; init; }

    /// <summary>The files the program wrote in its work dir, when the request asked for them (<c>returnFiles</c>); else null.</summary>
    public IReadOnlyList<ReturnedFile>? Files { get; init; }

    /// <summary>Set when files were asked for: true when some were left out for the caps.</summary>
    public bool? FilesTruncated { get; init; }

    /// <summary>For a session cell that ended its session (the interpreter had to be killed): why. Null otherwise.</summary>
    public string? SessionEnded { get; init; }

    public static ExecutionResult InternalError(string message) =>
        new() { Status = ExecutionStatus.InternalError, Message = message };
}
