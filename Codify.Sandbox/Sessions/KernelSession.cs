using System.Text;
using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Workspace;

namespace Codify.Sandbox.Sessions;

/// <summary>
/// One live session on this replica: its sandbox (every layer a run gets, one cgroup for its whole life), the kernel's
/// control channel, and one gate so a single cell or file operation runs at a time. Disposing kills the cgroup and
/// removes the folder (through <see cref="StartedSandbox"/>): nothing of the session is left.
/// </summary>
internal sealed class KernelSession : IDisposable
{
    private const int StderrKeptChars = 4096;
    private readonly StringBuilder _stderr = new();
    private string? _endReason;

    private KernelSession(SessionPlan plan, StartedSandbox sandbox, KernelChannel channel, TimeProvider time)
    {
        Plan = plan;
        Sandbox = sandbox;
        Channel = channel;
        LastActivity = time.GetUtcNow();
    }

    public SessionPlan Plan { get; }

    public StartedSandbox Sandbox { get; }

    public KernelChannel Channel { get; }

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
    public string StartupErrors
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString().Replace(Sandbox.FailureMarker, LaunchCommand.FailureMarkerName, StringComparison.Ordinal).Trim();
            }
        }
    }

    /// <summary>Starts the kernel and waits for its ready frame; a start that fails leaves nothing behind.</summary>
    public static async Task<(KernelSession? Session, string? Failure)> StartAsync(
        SandboxStarter starter, IsolationOptions isolation, SessionHostOptions options, SessionPlan plan, TimeProvider time)
    {
        // Only memory, processes and file size bind the sandbox itself; CPU and wall are per cell (the host watches
        // them). The per-process CPU rlimit the launch wrapper sets would otherwise add up over the session's life.
        var limits = plan.Limits with { CpuTimeMs = int.MaxValue - 1000 };
        var launch = new SandboxLaunch($"session-{RunFolder.SafeName(plan.Id)}-{Guid.NewGuid():N}", $"session-{plan.Id}", [],
            KernelCommand.Command(isolation, plan.Language, limits), limits, KernelCommand.Files(plan.Language));
        var (sandbox, failure) = await starter.StartAsync(launch);
        if (sandbox is null)
        {
            return (null, failure);
        }

        var process = sandbox.Process;
        var session = new KernelSession(plan, sandbox, new KernelChannel(process.StandardInput.BaseStream, process.StandardOutput.BaseStream,
            options.MaxFrameBytes), time);
        _ = session.KeepStderrAsync();
        using var timeout = new CancellationTokenSource(options.StartTimeoutMs);
        try
        {
            var first = await session.Channel.Received.ReadAsync(timeout.Token);
            if (first.Type == "ready")
            {
                return (session, null);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            // Not ready in time, or exited: said below.
        }

        session.End("start failed");
        await Task.WhenAny(session.Channel.Reading, Task.Delay(1000, CancellationToken.None));
        var detail = session.StartupErrors;
        session.Dispose();
        return (null, $"{plan.Language.Name} session kernel did not start: {(detail.Length > 0 ? detail : session.Channel.Violation ?? "no ready frame")}");
    }

    /// <summary>Reads the kernel process's stderr (bounded): it must never fill and block, and it explains a failed start.</summary>
    private async Task KeepStderrAsync()
    {
        var buffer = new char[1024];
        try
        {
            int read;
            while ((read = await Sandbox.Process.StandardError.ReadAsync(buffer)) > 0)
            {
                lock (_stderr)
                {
                    if (_stderr.Length < StderrKeptChars)
                    {
                        _stderr.Append(buffer, 0, Math.Min(read, StderrKeptChars - _stderr.Length));
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Gone with the sandbox.
        }
    }

    public IReusableCgroupRun? Cgroup => Sandbox.Cgroup as IReusableCgroupRun;

    /// <summary>The gate is not disposed: a cell that was under way when the session ended still releases it.</summary>
    public void Dispose() => Sandbox.Dispose();
}
