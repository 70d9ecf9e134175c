using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Pool;
using Codify.Sandbox.Workspace;

namespace Codify.Sandbox.Sessions;

/// <summary>
/// One live session on this replica: its kernel (sandbox and control channel, its own for the session's whole life), and
/// one gate so a single cell or file operation runs at a time. Disposing kills the cgroup and removes the folder (through
/// <see cref="StartedSandbox"/>): nothing of the session is left.
/// </summary>
internal sealed class KernelSession : IDisposable
{
    private string? _endReason;

    private KernelSession(SessionPlan plan, SessionKernel kernel, TimeProvider time)
    {
        Plan = plan;
        Kernel = kernel;
        // The idle clock starts now, when the session gets its kernel (a pooled kernel's wait in the pool is not the session's).
        LastActivity = time.GetUtcNow();
    }

    public SessionPlan Plan { get; }

    public SessionKernel Kernel { get; }

    public StartedSandbox Sandbox => Kernel.Sandbox;

    public KernelChannel Channel => Kernel.Channel;

    /// <summary>One cell or file operation at a time.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public DateTimeOffset LastActivity { get; set; }

    /// <summary>Set once the session is being ended (the first reason wins); a cell under way reports it.</summary>
    public string? EndReason => Volatile.Read(ref _endReason);

    /// <summary>Marks the session ending and kills every process in its cgroup; true for the caller that ended it.</summary>
    public bool End(string reason)
    {
        if (Interlocked.CompareExchange(ref _endReason, reason, null) is not null)
        {
            return false;
        }

        Sandbox.Cgroup.KillAll();
        return true;
    }

    /// <summary>What the kernel's own stderr said (before it took fd 2 over): the reason a start failed.</summary>
    public string StartupErrors => Kernel.StartupErrors;

    /// <summary>Starts a kernel for this session alone (no pooled one fits) and waits for its ready frame; a failed start leaves nothing.</summary>
    public static async Task<(KernelSession? Session, string? Failure)> StartAsync(
        SandboxStarter starter, IsolationOptions isolation, SessionHostOptions options, SessionPlan plan, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(plan);
        var start = new KernelStart(plan.Language, $"session-{RunFolder.SafeName(plan.Id)}-{Guid.NewGuid():N}", $"session-{plan.Id}",
            SandboxLimits(plan.Limits), plan.Limits.MemoryBytes);
        var (kernel, failure) = await SessionKernel.StartAsync(starter, isolation, start, options.MaxFrameBytes, TimeSpan.FromMilliseconds(options.StartTimeoutMs));
        return kernel is null ? (null, failure) : (new KernelSession(plan, kernel, time), null);
    }

    /// <summary>
    /// Makes a pooled kernel this session's: its cgroup gets the session's memory and pids limits, its processes the
    /// session's rlimits and the normal priority, its usage starts over, its folder is named after the session. Returns
    /// null (the caller disposes the kernel) when a step fails: a kernel that cannot carry the session's limits serves nobody.
    /// </summary>
    public static KernelSession? HandOver(SessionKernel kernel, SessionPlan plan, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(plan);
        if (!kernel.IsAlive || kernel.Sandbox.Cgroup is not IReusableCgroupRun cgroup)
        {
            return null;
        }

        // The pooled kernel ran only the host's own preload; anything it said meanwhile is not the session's.
        while (kernel.Channel.Received.TryRead(out _))
        {
        }

        var limits = SandboxLimits(plan.Limits);
        // Limits first, while only the idle kernel runs (blocked reading its next request): nothing of a program can race them.
        // A memory limit under what the idle kernel holds is refused by the kernel here, and the session starts cold.
        cgroup.ApplyLimits(limits);
        var pids = cgroup.Pids();
        ProcessLimits.Apply(kernel.Sandbox.HostUid, pids, limits);
        Niceness.Reset(pids);
        cgroup.ResetUsage();
        kernel.Sandbox.Folder.Rename($"session-{plan.Id}");
        return new KernelSession(plan, kernel, time);
    }

    /// <summary>
    /// Only memory, processes and file size bind the sandbox itself; CPU and wall are per cell (the host watches them). The
    /// per-process CPU rlimit the launch wrapper sets would otherwise add up over the session's life.
    /// </summary>
    private static Contracts.ExecutionLimits SandboxLimits(Contracts.ExecutionLimits limits) => limits with { CpuTimeMs = int.MaxValue - 1000 };

    public IReusableCgroupRun? Cgroup => Sandbox.Cgroup as IReusableCgroupRun;

    /// <summary>The gate is not disposed: a cell that was under way when the session ended still releases it.</summary>
    public void Dispose() => Kernel.Dispose();
}
