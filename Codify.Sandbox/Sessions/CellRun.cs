using System.Diagnostics;
using System.Threading.Channels;
using Codify.Contracts;
using Codify.Sandbox.Capture;
using Codify.Sandbox.Supervision;

namespace Codify.Sandbox.Sessions;

/// <summary>
/// Runs one cell in a live kernel and watches it like a run: wall clock, CPU time (the session's cgroup, counted afresh
/// per cell), output budget, cancel. A cell past a limit is interrupted (python: KeyboardInterrupt; node: a SIGINT that breaks its vm script)
/// and the session goes on; one that does not stop within the grace has its interpreter killed, and the result says the
/// session ended. A kernel that dies (memory limit, exit) ends the session too.
/// </summary>
internal static class CellRun
{
    private static readonly TimeSpan CpuPollInterval = TimeSpan.FromMilliseconds(50);

    public static async Task<ExecutionResult> RunAsync(
        KernelSession session, string executionId, ExecutionSpec spec, OutputChunkHandler? onOutput, TimeSpan grace, CaptureOptions caps, CancellationToken cancellationToken)
    {
        var limits = spec.Limits;
        var output = new CellOutput(limits.OutputBytes, onOutput);
        // The cell is charged from here: CPU time and peak memory start over (the session's limits stay as they were).
        session.Cgroup?.ResetUsage();
        var clock = Stopwatch.StartNew();
        using var wall = new CancellationTokenSource(limits.WallTimeMs);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(wall.Token, cancellationToken);
        using var finished = new CancellationTokenSource();
        var cpuWatch = WatchCpuAsync(session, limits.CpuTimeMs, stop, finished.Token);
        // Node's vm timeout is a wall clock, a backstop only: the CPU limit is the host's to watch (the interrupt stops the cell).
        await session.Channel.SendAsync(new { op = "exec", cell = executionId, code = spec.Code, stdin = spec.Stdin, timeoutMs = limits.WallTimeMs });

        var (done, killed) = await ReadUntilDoneAsync(session, executionId, output, stop, grace);
        var elapsed = (long)Math.Round(clock.Elapsed.TotalMilliseconds);
        await finished.CancelAsync();
        var cpuExpired = await cpuWatch;
        var usage = session.Sandbox.Cgroup.ReadUsage();
        var ended = done is null ? SessionEndedReason(session, killed, usage.OomKilled) : null;
        var (outputs, outputsTruncated) = done is null ? (null, null) : CellOutput.Rich(done.Body, caps);
        var exitCode = done?.Number("exit") is { } exit ? (int)Math.Clamp(exit, int.MinValue, int.MaxValue) : (int?)null;
        var limit = cpuExpired ? "cpu" : wall.IsCancellationRequested || VmTimedOut(done) ? "wall" : null;
        var status = (cancellationToken.IsCancellationRequested, limit) switch
        {
            (true, _) => ExecutionStatus.Cancelled,
            (_, not null) => ExecutionStatus.TimeLimitExceeded,
            _ when usage.OomKilled || Verdict.OutOfMemoryMessage(output.Stderr) => ExecutionStatus.MemoryLimitExceeded,
            _ when output.Exceeded => ExecutionStatus.OutputLimitExceeded,
            _ when exitCode == 0 => ExecutionStatus.Completed,
            _ => ExecutionStatus.RuntimeError,
        };
        return new ExecutionResult
        {
            Status = status,
            Stdout = output.Stdout,
            Stderr = output.Stderr,
            ExitCode = exitCode,
            WallTimeMs = elapsed,
            CpuTimeMs = usage.CpuTimeMs,
            MemoryPeakBytes = usage.MemoryPeakBytes,
            StdoutTruncated = output.StdoutTruncated,
            StderrTruncated = output.StderrTruncated,
            LimitExceeded = status == ExecutionStatus.TimeLimitExceeded ? limit : null,
            Message = Describe(status, limit == "cpu", ended),
            Outputs = outputs,
            OutputsTruncated = outputsTruncated,
            SessionEnded = ended,
        };
    }

    /// <returns>The cell's <c>done</c> frame (null when the kernel died or was killed), and whether the host killed it.</returns>
    private static async Task<(KernelFrame? Done, bool Killed)> ReadUntilDoneAsync(
        KernelSession session, string executionId, CellOutput output, CancellationTokenSource stop, TimeSpan grace)
    {
        CancellationTokenSource? graceTimer = null;
        try
        {
            while (true)
            {
                KernelFrame frame;
                try
                {
                    frame = await session.Channel.Received.ReadAsync(graceTimer?.Token ?? stop.Token);
                }
                catch (ChannelClosedException)
                {
                    return (null, false);
                }
                catch (OperationCanceledException) when (graceTimer is null)
                {
                    // A limit or a cancel: ask the kernel to stop the cell, and give it the grace to do so.
                    graceTimer = new CancellationTokenSource(grace);
                    // Named by cell: one that arrives before the kernel has started the cell still stops it (and never the next cell).
                    await session.Channel.SendAsync(new { op = "interrupt", cell = executionId });
                    continue;
                }
                catch (OperationCanceledException)
                {
                    session.End(SessionEndReasonsOnHost.DidNotStop);
                    return (null, true);
                }

                // An earlier cell's end (one that was cut short, or forged by the program) does not end this one.
                if (frame.Type == "done" && frame.Text("cell") == executionId)
                {
                    return (frame, false);
                }

                // Once the budget is spent the cell is being stopped: what it writes meanwhile (the interrupt's traceback
                // on the other stream, say) is dropped unmarked, so a flood on one stream never marks the other truncated.
                if (frame.Type == "out" && !output.Exceeded && !output.Add(frame.Text("s") != "stderr", frame.Text("d") ?? "") && !stop.IsCancellationRequested)
                {
                    await stop.CancelAsync();
                }
            }
        }
        finally
        {
            graceTimer?.Dispose();
        }
    }

    /// <summary>
    /// Node's vm timeout (the wall limit) may stop a cell a moment before the host's own clock fires: a time limit all the
    /// same. The kernel's word only, as all of the frame: a program can at most make its own cell look timed out.
    /// </summary>
    private static bool VmTimedOut(KernelFrame? done) =>
        done is not null && done.Body.TryGetProperty("timedOut", out var timedOut) && timedOut.ValueKind == System.Text.Json.JsonValueKind.True;

    private static string SessionEndedReason(KernelSession session, bool killed, bool oomKilled) =>
        session.EndReason is { } reason && (killed || reason != SessionEndReasonsOnHost.DidNotStop)
            ? reason
            : session.Channel.Violation ?? (oomKilled ? SessionEndReasonsOnHost.OutOfMemory : Contracts.Sessions.SessionEndReasons.KernelExited);

    private static string? Describe(ExecutionStatus status, bool cpuExpired, string? ended)
    {
        var what = status switch
        {
            ExecutionStatus.Cancelled => "cell was cancelled",
            ExecutionStatus.TimeLimitExceeded when cpuExpired => "CPU time limit reached; the cell was interrupted",
            ExecutionStatus.TimeLimitExceeded => "wall-clock limit reached; the cell was interrupted",
            ExecutionStatus.MemoryLimitExceeded => "memory limit reached",
            ExecutionStatus.OutputLimitExceeded => "output limit reached; output kept up to the limit and the cell was interrupted",
            _ => null,
        };
        return ended is null ? what : $"{what ?? "the cell did not finish"}; the session ended: {ended}";
    }

    private static async Task<bool> WatchCpuAsync(KernelSession session, long limitMs, CancellationTokenSource stop, CancellationToken finished)
    {
        using var timer = new PeriodicTimer(CpuPollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(finished))
            {
                if (session.Sandbox.Cgroup.ReadUsage().CpuTimeMs > limitMs)
                {
                    await stop.CancelAsync();
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The cell ended first.
        }

        return false;
    }
}
