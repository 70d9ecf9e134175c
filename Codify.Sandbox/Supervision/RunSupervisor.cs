using System.Diagnostics;
using System.Text;
using Codify.Contracts;
using Codify.Sandbox.Capture;
using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Readiness;
using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Supervision;

/// <summary>
/// Watches one started sandbox (cold, or warm once its program is handed over): wall clock, run-wide CPU time (from the
/// cgroup), output budget, cancellation. Shared by both paths, so the verdict, the statistics and stdin are one code path.
/// </summary>
internal sealed partial class RunSupervisor(IsolationState isolation, IOptions<CaptureOptions> capture, ILogger<RunSupervisor> logger)
{
    /// <summary>How long to wait for the pipes to drain after the sandbox is gone: a stray holder must not hang the run.</summary>
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Supervises one run until its verdict; a layer that failed to set up closes the readiness gate. Its wall time counts
    /// from <paramref name="startedAt"/> (a <see cref="Stopwatch"/> timestamp): a warm or forked program runs from its
    /// handover, and on a busy host it can be done before the supervision begins (it was measured as 0 ms).
    /// </summary>
    public async Task<ExecutionResult> SuperviseAsync(ISupervisedRun run, ExecutionSpec spec, OutputChunkHandler? onOutput,
        IStdinFeed? stdin, long startedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var result = await WatchAsync(run, spec, onOutput, stdin, startedAt, cancellationToken);
        if (spec.Captures && run.CaptureFolder is { } folder)
        {
            // Read after every process of the run is gone: nothing can write the channel while the host reads it.
            result = CaptureReader.Attach(result, Path.Combine(folder, CaptureFiles.ChannelFile), spec, capture.Value);
        }

        // A run lost with its fork server is that server's failure (it is replaced), not a broken isolation layer.
        if (result.Status == ExecutionStatus.InternalError && run.Lost is null)
        {
            // A broken layer must not meet the next program: nothing runs until the probe passes again.
            isolation.MarkBroken(result.Message ?? "sandbox setup failed");
        }

        return result;
    }

    private async Task<ExecutionResult> WatchAsync(
        ISupervisedRun process, ExecutionSpec spec, OutputChunkHandler? onOutput, IStdinFeed? liveStdin, long startedAt, CancellationToken cancellationToken)
    {
        var cgroup = process.Cgroup;
        using var output = new OutputCapture(spec.Limits.OutputBytes, onOutput);
        using var wall = new CancellationTokenSource(spec.Limits.WallTimeMs);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(wall.Token, cancellationToken);
        using var exited = new CancellationTokenSource();
        output.BudgetExceeded += () => stop.Cancel();

        var pumps = Task.WhenAll(
            output.PumpStdoutAsync(process.Stdout, CancellationToken.None),
            output.PumpStderrAsync(process.Stderr, CancellationToken.None),
            FeedStdinAsync(process, spec.Stdin, liveStdin, exited.Token));
        var cpuWatch = WatchCpuAsync(cgroup, spec.Limits.CpuTimeMs, stop, exited.Token);

        try
        {
            await process.WaitForExitAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Whole cgroup at once: processes that left the sandbox's tree (or raced a fork) die too.
            cgroup.KillAll();
            process.KillTree();
            await process.WaitForExitAsync(CancellationToken.None);
        }

        // Rounded, not truncated: the API's overhead is measured as its answer time minus this.
        var elapsed = (long)Math.Round(Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds);
        exited.Cancel();
        // Daemons that double-forked to outlive the run are killed here, before usage is read. The verdict does not wait for
        // the kernel to finish tearing them down: a SIGKILLed process runs nothing more, and the sandbox's disposal
        // confirms the cgroup is empty (bounded wait) before its host uid is released.
        cgroup.SignalAll();
        var usage = cgroup.ReadUsage();
        var cpuExpired = await cpuWatch;
        if (await Task.WhenAny(pumps, Task.Delay(DrainGrace, CancellationToken.None)) != pumps)
        {
            LogPipesHeld(logger, process.Id);
        }

        return Verdict.From(new RunObservation
        {
            ExitCode = process.ExitCode,
            WallTimeMs = elapsed,
            CpuTimeMs = usage.CpuTimeMs,
            MemoryPeakBytes = usage.MemoryPeakBytes,
            OomKilled = usage.OomKilled,
            CpuExpired = cpuExpired,
            WallExpired = wall.IsCancellationRequested && !cpuExpired && !output.Exceeded,
            Cancelled = cancellationToken.IsCancellationRequested,
            LaunchFailureMarker = process.FailureMarker,
            Lost = process.Lost,
        }, output, spec.ExpectedOutput);
    }

    /// <returns>true when the run's total CPU time passed its limit (and the run was stopped for it).</returns>
    private static async Task<bool> WatchCpuAsync(ICgroupRun cgroup, long limitMs, CancellationTokenSource stop, CancellationToken exited)
    {
        var usedMs = 0L;
        try
        {
            while (true)
            {
                // Read only once the limit could have been reached (CpuPace): a short run is never read here.
                await Task.Delay(CpuPace.NextRead(limitMs, usedMs), exited);
                usedMs = cgroup.ReadUsage().CpuTimeMs;
                if (usedMs > limitMs)
                {
                    await stop.CancelAsync();
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended first.
        }

        return false;
    }

    /// <summary>The spec's stdin, then (interactive runs) each live chunk as it arrives, flushed at once; then EOF.</summary>
    private static async Task FeedStdinAsync(ISupervisedRun process, string? stdin, IStdinFeed? liveStdin, CancellationToken exited)
    {
        var input = process.Stdin;
        try
        {
            if (!string.IsNullOrEmpty(stdin))
            {
                await input.WriteAsync(Encoding.UTF8.GetBytes(stdin), exited);
                await input.FlushAsync(exited);
            }

            if (liveStdin is not null)
            {
                await foreach (var chunk in liveStdin.ReadAsync(exited))
                {
                    await input.WriteAsync(Encoding.UTF8.GetBytes(chunk.Data), exited);
                    await input.FlushAsync(exited);
                }
            }

            process.CloseStdin();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The program exited (or closed stdin) before reading all of its input: not an error of ours.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox {Pid} exited but its output pipes stayed open; abandoned them")]
    private static partial void LogPipesHeld(ILogger logger, int pid);
}
