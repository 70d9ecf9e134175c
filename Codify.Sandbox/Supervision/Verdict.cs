using Codify.Contracts;
using Codify.Sandbox.Launch;

namespace Codify.Sandbox.Supervision;

/// <summary>Turns what the supervisor observed into one status of the shared taxonomy.</summary>
public static class Verdict
{
    public static ExecutionResult From(RunObservation run, OutputCapture output, string? expectedOutput = null)
    {
        // Only the run's own random marker counts: a program can exit 125 and print anything, but not that marker.
        // (The shell's own complaint, e.g. about an unwritable cgroup.procs, may come first.)
        var setupFailed = run.ExitCode == LaunchCommand.SetupFailedExitCode
            && run.LaunchFailureMarker is { Length: > 0 } marker
            && output.Stderr.Contains(marker, StringComparison.Ordinal);
        var status = run switch
        {
            { Cancelled: true } => ExecutionStatus.Cancelled,
            { Lost: not null } => ExecutionStatus.InternalError,
            _ when setupFailed => ExecutionStatus.InternalError,
            { CpuExpired: true } or { WallExpired: true } => ExecutionStatus.TimeLimitExceeded,
            _ when run.OomKilled || OutOfMemoryMessage(output.Stderr) => ExecutionStatus.MemoryLimitExceeded,
            _ when output.Exceeded => ExecutionStatus.OutputLimitExceeded,
            { ExitCode: 0 } when expectedOutput is null => ExecutionStatus.Completed,
            { ExitCode: 0 } => OutputJudge.Matches(output.Stdout, expectedOutput) ? ExecutionStatus.Accepted : ExecutionStatus.WrongAnswer,
            _ => ExecutionStatus.RuntimeError,
        };
        return new ExecutionResult
        {
            Status = status,
            Stdout = output.Stdout,
            Stderr = setupFailed ? "" : output.Stderr,
            ExitCode = run.ExitCode,
            Signal = Signals.FromExitCode(run.ExitCode),
            WallTimeMs = run.WallTimeMs,
            CpuTimeMs = run.CpuTimeMs,
            MemoryPeakBytes = run.MemoryPeakBytes,
            StdoutTruncated = output.StdoutTruncated,
            StderrTruncated = output.StderrTruncated,
            LimitExceeded = status != ExecutionStatus.TimeLimitExceeded ? null : run.CpuExpired ? "cpu" : "wall",
            Message = Describe(status, run,
                setupFailed ? output.Stderr.Trim().Replace(run.LaunchFailureMarker!, LaunchCommand.FailureMarkerName, StringComparison.Ordinal) : null),
        };
    }

    /// <summary>Node's heap cap and Python's allocator report exhaustion themselves before the cgroup OOM killer acts.</summary>
    internal static bool OutOfMemoryMessage(string stderr) =>
        stderr.Contains("JavaScript heap out of memory", StringComparison.Ordinal)
        || stderr.TrimEnd().EndsWith("MemoryError", StringComparison.Ordinal);

    private static string? Describe(ExecutionStatus status, RunObservation run, string? setupError) => status switch
    {
        ExecutionStatus.Cancelled => "execution was cancelled",
        ExecutionStatus.InternalError when run.Lost is not null => run.Lost,
        ExecutionStatus.InternalError => $"sandbox setup failed: {setupError}",
        ExecutionStatus.TimeLimitExceeded when run.CpuExpired => "CPU time limit reached; the sandbox was killed",
        ExecutionStatus.TimeLimitExceeded => "wall-clock limit reached; the sandbox was killed",
        ExecutionStatus.MemoryLimitExceeded => "memory limit reached",
        ExecutionStatus.OutputLimitExceeded => "output limit reached; output kept up to the limit and the sandbox was killed",
        _ => null,
    };
}
