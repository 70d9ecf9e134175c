using System.Text;
using Codify.Contracts;
using Codify.Sandbox.Launch;

namespace Codify.Sandbox.Sessions;

/// <summary>
/// A kernel process in its sandbox (every layer a run gets, one cgroup for its whole life) and the host's end of its
/// control channel, said ready. Started for one session (cold), or ahead of time by the <see cref="Pool.KernelPool"/>
/// and handed over to one session. Disposing kills the cgroup and removes the folder: nothing of it is left.
/// </summary>
internal sealed class SessionKernel : IDisposable
{
    private const int StderrKeptChars = 4096;
    private readonly StringBuilder _stderr = new();

    private SessionKernel(LanguageInfo language, long commandMemoryBytes, StartedSandbox sandbox, long maxFrameBytes)
    {
        Language = language;
        CommandMemoryBytes = commandMemoryBytes;
        Sandbox = sandbox;
        Channel = new KernelChannel(sandbox.Process.StandardInput.BaseStream, sandbox.Process.StandardOutput.BaseStream, maxFrameBytes);
        _ = KeepStderrAsync();
    }

    public LanguageInfo Language { get; }

    /// <summary>The memory limit the interpreter's command was built for (node's heap cap is fixed when it starts).</summary>
    public long CommandMemoryBytes { get; }

    public StartedSandbox Sandbox { get; }

    public KernelChannel Channel { get; }

    /// <summary>Whether the kernel still reads requests (its frames have not ended and its process has not exited).</summary>
    public bool IsAlive => !Channel.Reading.IsCompleted && !Sandbox.Process.HasExited;

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

    /// <summary>Starts a kernel and waits for its ready frame; a start that fails leaves nothing behind.</summary>
    public static async Task<(SessionKernel? Kernel, string? Failure)> StartAsync(
        SandboxStarter starter, IsolationOptions isolation, KernelStart start, long maxFrameBytes, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(start);
        var launch = new SandboxLaunch(start.CgroupName, start.FolderName, [],
            KernelCommand.Command(isolation, start.Language, start.Limits with { MemoryBytes = start.CommandMemoryBytes }),
            start.Limits, KernelCommand.Files(start.Language), start.Niceness);
        var (sandbox, failure) = await starter.StartAsync(launch);
        if (sandbox is null)
        {
            return (null, failure);
        }

        var kernel = new SessionKernel(start.Language, start.CommandMemoryBytes, sandbox, maxFrameBytes);
        if (await kernel.ReceiveAsync(timeout) is { Type: "ready" })
        {
            return (kernel, null);
        }

        return (null, await kernel.FailAsync("no ready frame"));
    }

    /// <summary>The next frame, or null when none came in time or the kernel is gone.</summary>
    public async Task<KernelFrame?> ReceiveAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await Channel.Received.ReadAsync(cancel.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Kills a kernel that could not be made ready, and says why (its stderr, else <paramref name="otherwise"/>).</summary>
    public async Task<string> FailAsync(string otherwise)
    {
        Sandbox.Cgroup.KillAll();
        await Task.WhenAny(Channel.Reading, Task.Delay(1000, CancellationToken.None));
        var detail = StartupErrors;
        Dispose();
        return $"{Language.Name} session kernel did not start: {(detail.Length > 0 ? detail : Channel.Violation ?? otherwise)}";
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

    public void Dispose() => Sandbox.Dispose();
}

/// <summary>How to start one kernel: its names on the host, its sandbox's limits, the memory its command is built for, its priority.</summary>
internal sealed record KernelStart(LanguageInfo Language, string CgroupName, string FolderName, ExecutionLimits Limits, long CommandMemoryBytes, int Niceness = 0);
