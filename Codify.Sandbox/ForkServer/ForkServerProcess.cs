using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using Codify.Contracts;
using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Workspace;

namespace Codify.Sandbox.ForkServer;

/// <summary>
/// One running fork server and its control connection. Answers come back on one reader loop: a child's ready or failed
/// setup, and the exit code of each child (the code bwrap would report). When the server dies, every run it carried ends
/// as lost (its pid namespace took them), and every waiting prefork fails: its owner replaces the server.
/// </summary>
internal sealed partial class ForkServerProcess : IDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<int>> _preforks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<int?>> _exits = new(StringComparer.Ordinal);
    private readonly Lock _sendGate = new();
    private readonly Socket _control;
    private readonly Process _process;
    private readonly ICgroupRun _cgroup;
    private readonly RunFolder _folder;
    private readonly ILogger _logger;
    private int _inFlight;
    private int _dispatched;
    private volatile string? _death;

    private ForkServerProcess(Socket control, Process process, ICgroupRun cgroup, RunFolder folder, ILogger logger)
    {
        _control = control;
        _process = process;
        _cgroup = cgroup;
        _folder = folder;
        _logger = logger;
        SpoolRoot = Path.Combine(folder.Path, "spool");
        _ = ReadLoopAsync();
        _ = LogStderrAsync();
    }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Host folder whose run folders the server's children bind their program file from.</summary>
    public string SpoolRoot { get; }

    /// <summary>Why the server is gone; null while it runs.</summary>
    public string? Death => _death;

    public int InFlight => Volatile.Read(ref _inFlight);

    public int Dispatched => Volatile.Read(ref _dispatched);

    /// <summary>
    /// Forks a child that isolates itself as inner uid <paramref name="innerUid"/>, its program file bound from the spool's
    /// <paramref name="folder"/>; returns its pid in the server's namespace.
    /// </summary>
    public Task<int> PreforkAsync(string id, int innerUid, string folder)
    {
        var ready = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _preforks[id] = ready;
        _exits[id] = new TaskCompletionSource<int?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Send(ControlMessages.Prefork(id, innerUid, folder), []);
        if (_death is { } death)
        {
            ready.TrySetException(new IOException(death));
        }

        return ready.Task;
    }

    /// <summary>The child's exit code once it ended; null when the server died first (the run is lost).</summary>
    public Task<int?> ExitOf(string id) => _exits.TryGetValue(id, out var exit) ? exit.Task : Task.FromResult<int?>(null);

    /// <summary>Tells a preforked child it is in its run's cgroup (it forks the program's process).</summary>
    public void Joined(string id) => Send(ControlMessages.Joined(id), []);

    /// <summary>Hands the program to a preforked child, with the child's ends of its three pipes.</summary>
    public void Run(string id, ExecutionLimits limits, ReadOnlySpan<int> pipeEnds)
    {
        ArgumentNullException.ThrowIfNull(limits);
        Interlocked.Increment(ref _dispatched);
        // The rlimits of the launch wrapper (LaunchCommand) for a cold run, in bytes and seconds.
        Send(ControlMessages.Run(id, LaunchCommand.OpenFiles, Math.Max(1, limits.FileSizeBytes / 512) * 512, limits.CpuTimeMs / 1000 + 2), pipeEnds);
    }

    public void RunStarted() => Interlocked.Increment(ref _inFlight);

    public void RunEnded() => Interlocked.Decrement(ref _inFlight);

    public void Drop(string id)
    {
        try
        {
            Send(ControlMessages.Drop(id), []);
        }
        catch (IOException)
        {
            // A dead server took its children with it.
        }
    }

    /// <summary>Kills the server and everything in its cgroup, as a crash would (for tests: replacement).</summary>
    internal void Crash() => _cgroup.KillAll();

    /// <summary>Host pids of processes in the server's cgroup, by their pid in the server's pid namespace.</summary>
    public IReadOnlyList<int> HostPidsOf(IReadOnlyList<int> serverPids) =>
        NamespacePids.Translate(((IReusableCgroupRun)_cgroup).Pids(), serverPids);

    private void Send(byte[] message, ReadOnlySpan<int> fds)
    {
        lock (_sendGate)
        {
            if (_death is { } death)
            {
                throw new IOException(death);
            }

            Descriptors.Send(_control.SafeHandle, message, fds);
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[4096];
        string reason;
        try
        {
            int read;
            while ((read = await _control.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                Handle(ControlMessages.Parse(buffer.AsSpan(0, read)));
            }

            reason = "the fork server exited";
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or FormatException)
        {
            reason = $"the fork server connection failed: {e.Message}";
        }

        _death = reason;
        foreach (var prefork in _preforks.Values)
        {
            prefork.TrySetException(new IOException(reason));
        }

        foreach (var exit in _exits.Values)
        {
            exit.TrySetResult(null);
        }
    }

    private void Handle(ServerMessage message)
    {
        switch (message.Kind)
        {
            case ServerMessageKind.Ready when _preforks.TryRemove(message.Id, out var ready):
                ready.TrySetResult(message.Numbers[0]);
                break;
            case ServerMessageKind.Fail when _preforks.TryRemove(message.Id, out var failed):
                failed.TrySetException(new IOException($"fork server child setup failed: {message.Text}"));
                break;
            case ServerMessageKind.Exit:
                if (_preforks.TryRemove(message.Id, out var early))
                {
                    early.TrySetException(new IOException($"fork server child exited during setup ({message.Numbers[0]})"));
                }

                if (_exits.TryRemove(message.Id, out var exit))
                {
                    exit.TrySetResult(message.Numbers[0]);
                }

                break;
        }
    }

    private async Task LogStderrAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync() is { } line)
            {
                LogServerSaid(_logger, line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The server is gone.
        }
    }

    public void Dispose()
    {
        _death ??= "the fork server was retired";
        _control.Dispose();
        // The whole server cgroup at once: the server, and any child not yet moved to a run's cgroup.
        _cgroup.Dispose();
        _process.Dispose();
        _folder.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fork server: {Line}")]
    private static partial void LogServerSaid(ILogger logger, string line);
}
