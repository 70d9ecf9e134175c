using Codify.Contracts;

namespace Codify.Sandbox.Isolation;

/// <summary>Turns what the supervisor observed into one status of the shared taxonomy.</summary>
public static class Verdict
{
    public static ExecutionResult From(int exitCode, long wallTimeMs, OutputCapture output, bool wallExpired, bool cancelled)
    {
        var status = (cancelled, wallExpired, output.Exceeded, exitCode) switch
        {
            (true, _, _, _) => ExecutionStatus.Cancelled,
            (_, true, _, _) => ExecutionStatus.TimeLimitExceeded,
            (_, _, true, _) => ExecutionStatus.OutputLimitExceeded,
            (_, _, _, 0) => ExecutionStatus.Completed,
            _ => ExecutionStatus.RuntimeError,
        };
        var killedByUs = status is ExecutionStatus.Cancelled or ExecutionStatus.TimeLimitExceeded or ExecutionStatus.OutputLimitExceeded;
        return new ExecutionResult
        {
            Status = status,
            Stdout = output.Stdout,
            Stderr = output.Stderr,
            ExitCode = exitCode,
            Signal = Signals.FromExitCode(exitCode),
            WallTimeMs = wallTimeMs,
            StdoutTruncated = output.StdoutTruncated,
            StderrTruncated = output.StderrTruncated,
            LimitExceeded = status == ExecutionStatus.TimeLimitExceeded ? "wall" : null,
            Message = killedByUs ? Describe(status) : null,
        };
    }

    private static string Describe(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Cancelled => "execution was cancelled",
        ExecutionStatus.TimeLimitExceeded => "wall-clock limit reached; the sandbox was killed",
        _ => "output limit reached; output kept up to the limit and the sandbox was killed",
    };
}
