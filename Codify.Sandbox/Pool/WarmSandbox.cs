using Codify.Contracts;
using Codify.Sandbox.Capture;
using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;

namespace Codify.Sandbox.Pool;

/// <summary>
/// One sandbox started ahead of time: every isolation layer in place, interpreter loaded, launcher blocked reading its
/// header. Used once: <see cref="DispatchAsync"/> hands it one program, then it is supervised and disposed like a cold run.
/// </summary>
internal sealed class WarmSandbox : IDisposable
{
    private WarmSandbox(StartedSandbox sandbox, LanguageInfo language)
    {
        Sandbox = sandbox;
        Language = language;
    }

    public StartedSandbox Sandbox { get; }

    public LanguageInfo Language { get; }

    public bool IsAlive => !Sandbox.Process.HasExited;

    /// <summary>Starts one warm sandbox and waits for its ready byte; a start that fails leaves nothing behind.</summary>
    public static async Task<(WarmSandbox? Warm, string? Failure)> StartAsync(
        SandboxStarter starter, IsolationOptions isolation, PoolOptions pool, LanguageInfo language, Action<StartedSandbox>? launched = null)
    {
        var limits = IdleLimits(pool);
        var launch = CapturingLaunch.Warm(new SandboxLaunch(
            // The cgroup keeps this name for the run it will serve (cgroup v2 cannot rename one); the run folder is renamed
            // after the execution at dispatch, and the sandbox's mounts name that folder (/proc/PID/mountinfo).
            $"pool-{language.Name}-{Guid.NewGuid():N}", $"pool-{language.Name}",
            // An empty placeholder bound read-only at /box/<entry>, exactly where a cold run's program file is bound.
            [new SourceFile(language.FileName, "")],
            // Built for the pool's run memory limit, not the idle cap: node's heap cap is fixed here for the run to come.
            WarmLaunchers.Command(isolation, language, limits with { MemoryBytes = pool.MemoryBytes }),
            limits,
            WarmLaunchers.Files(language),
            Niceness.Idle), language);
        var (sandbox, failure) = await starter.StartAsync(launch);
        if (sandbox is null)
        {
            return (null, failure);
        }

        launched?.Invoke(sandbox);
        var ready = new byte[1];
        var read = sandbox.Process.StandardOutput.BaseStream.ReadAsync(ready).AsTask();
        var readyInTime = await Task.WhenAny(read, Task.Delay(pool.StartTimeoutMs)) == read;
        if (readyInTime && await read == 1 && ready[0] == WarmLaunchers.ReadyByte)
        {
            return (new WarmSandbox(sandbox, language), null);
        }

        // Killed first, so stderr ends and the reason (the launch wrapper's line, an interpreter error) can be read.
        sandbox.Cgroup.KillAll();
        var stderr = sandbox.Process.StandardError.ReadToEndAsync();
        var detail = await Task.WhenAny(stderr, Task.Delay(1000)) == stderr ? (await stderr).Trim() : "";
        sandbox.Dispose();
        detail = detail.Replace(sandbox.FailureMarker, LaunchCommand.FailureMarkerName, StringComparison.Ordinal);
        return (null, $"{language.Name} warm sandbox {(readyInTime ? "exited" : "was not ready")} before its program: {detail}".Trim());
    }

    /// <summary>
    /// Hands the program over: the run folder is renamed after the execution, the cgroup given the run's limits, the rlimits set as the
    /// launch wrapper would have, CPU and peak memory restarted (the run is charged from here), the program file filled,
    /// then the header sent. After this the sandbox is the run's, exactly like a cold one that has just started; the caller
    /// supervises it (and feeds stdin after the header). Returns why it could not, with nothing of the program run.
    /// <paramref name="captureRequest"/> says what the run captures (<see cref="CaptureFiles.Request"/>); null: nothing.
    /// </summary>
    public async Task<string?> DispatchAsync(string executionId, ExecutionSpec spec, string? captureRequest = null)
    {
        if (!IsAlive)
        {
            return "warm sandbox exited while idle";
        }

        if (Sandbox.Cgroup is not IReusableCgroupRun cgroup)
        {
            return "cgroup driver cannot re-target a run";
        }

        try
        {
            // The idle caps give way to the run's own; a memory limit under what the idle interpreter holds is refused here.
            cgroup.ApplyLimits(spec.Limits);
            var pids = cgroup.Pids();
            ProcessLimits.Apply(Sandbox.HostUid, pids, spec.Limits);
            // Started in the background at a lower priority; the run gets the normal one, like a cold run.
            Niceness.Reset(pids);
            cgroup.ResetUsage();
            var file = spec.ProgramFiles(Language)[0];
            Sandbox.Folder.Rename(executionId);
            Sandbox.Folder.Refill($"src/{file.Name}", file.Content);
            if (captureRequest is not null)
            {
                Sandbox.Folder.Refill(CaptureFiles.RequestFile, captureRequest);
            }

            // One write well under the pipe's capacity (arguments are at most 8 KiB): it never waits for the reader.
            var stdin = Sandbox.Process.StandardInput.BaseStream;
            await stdin.WriteAsync(WarmLaunchers.Header(spec.Args));
            await stdin.FlushAsync();
            return null;
        }
        catch (Exception e) when (e is CgroupException or IOException or UnauthorizedAccessException)
        {
            return $"dispatch failed: {e.Message}";
        }
    }

    public void Dispose() => Sandbox.Dispose();

    /// <summary>
    /// The caps of an idle warm sandbox. The launch wrapper's rlimits start high (only the launcher runs until dispatch)
    /// because dispatch can only lower them (<see cref="ProcessLimits"/>) to the run's own.
    /// </summary>
    internal static ExecutionLimits IdleLimits(PoolOptions pool) => new(
        WallTimeMs: pool.StartTimeoutMs, CpuTimeMs: int.MaxValue - 1000, MemoryBytes: pool.IdleMemoryBytes,
        Processes: pool.IdleProcesses, OutputBytes: 1, FileSizeBytes: 1L << 40);
}
