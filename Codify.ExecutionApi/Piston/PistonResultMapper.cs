using Codify.Contracts;

namespace Codify.ExecutionApi.Piston;

/// <summary>
/// Codify's status taxonomy → Piston's (isolate's) <c>status</c> codes:
/// completed → null; runtime_error → SG when a signal ended it, else RE; time_limit_exceeded → TO (signal SIGKILL);
/// memory_limit_exceeded → SG or RE by how the process ended, message "Memory limit exceeded";
/// output_limit_exceeded → OL (stdout) or EL (stderr only), signal SIGKILL; cancelled and internal_error → XX.
/// </summary>
public static class PistonResultMapper
{
    public static PistonStageResult ToRun(ExecutionRecord record)
    {
        var (status, message) = Classify(record);
        var signal = status is "TO" or "OL" or "EL" ? "SIGKILL" : record.Signal;
        var stdout = record.Stdout ?? "";
        var stderr = record.Stderr ?? "";
        return new PistonStageResult
        {
            Stdout = stdout,
            Stderr = stderr,
            Output = stdout + stderr,
            Code = signal is null ? record.ExitCode : null,
            Signal = signal,
            Message = message,
            Status = status,
            CpuTime = record.CpuTimeMs,
            WallTime = record.WallTimeMs,
            Memory = record.MemoryPeakBytes,
        };
    }

    private static (string? Status, string? Message) Classify(ExecutionRecord record) => record.Status switch
    {
        ExecutionStatus.Completed or ExecutionStatus.Accepted or ExecutionStatus.WrongAnswer => (null, null),
        ExecutionStatus.RuntimeError when record.Signal is not null => ("SG", $"Caught fatal signal {SignalNumber(record)}"),
        ExecutionStatus.RuntimeError => ("RE", $"Exited with error status {record.ExitCode}"),
        ExecutionStatus.TimeLimitExceeded when record.LimitExceeded == "cpu" => ("TO", "Time limit exceeded"),
        ExecutionStatus.TimeLimitExceeded => ("TO", "Time limit exceeded (wall clock)"),
        ExecutionStatus.MemoryLimitExceeded => (record.Signal is null ? "RE" : "SG", "Memory limit exceeded"),
        ExecutionStatus.OutputLimitExceeded when record.StderrTruncated == true && record.StdoutTruncated != true => ("EL", "stderr length exceeded"),
        ExecutionStatus.OutputLimitExceeded => ("OL", "stdout length exceeded"),
        _ => ("XX", record.Message ?? $"execution ended as {record.Status.ToWire()}"),
    };

    /// <summary>The sandbox reports a death by signal N as exit code 128 + N.</summary>
    private static string SignalNumber(ExecutionRecord record) =>
        record.ExitCode is > 128 and < 160 ? (record.ExitCode.Value - 128).ToString(System.Globalization.CultureInfo.InvariantCulture) : record.Signal!;
}
