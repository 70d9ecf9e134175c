using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Supervision;
using Codify.Sandbox.Workspace;

namespace Codify.Sandbox.ForkServer;

/// <summary>
/// A program running in a forked child: supervised like any sandbox (same pipes, same cgroup kill, same verdicts); its
/// exit code is what the fork server saw. Disposing kills the whole cgroup, then frees the spool folder and the uid.
/// </summary>
internal sealed class ForkedRun : ISupervisedRun, IDisposable
{
    private readonly ForkServerProcess _server;
    private readonly Task<int?> _exit;
    private readonly HostUidPool.Lease _uid;
    private readonly RunFolder _folder;
    private int _disposed;

    public ForkedRun(ForkServerProcess server, string id, ICgroupRun cgroup, HostUidPool.Lease uid, RunFolder folder, Stream stdin, Stream stdout, Stream stderr)
    {
        _server = server;
        _exit = server.ExitOf(id);
        Cgroup = cgroup;
        _uid = uid;
        _folder = folder;
        Stdin = stdin;
        Stdout = stdout;
        Stderr = stderr;
        server.RunStarted();
    }

    public int Id => 0;

    public Stream Stdin { get; }

    public Stream Stdout { get; }

    public Stream Stderr { get; }

    public ICgroupRun Cgroup { get; }

    public string FailureMarker => "";

    public int ExitCode => _exit.Result ?? 255;

    /// <summary>A fork has no capture channel: runs that ask for outputs or files are not forked (ForkServerRunner).</summary>
    public string? CaptureFolder => null;

    public string? Lost => _exit.IsCompleted && _exit.Result is null ? $"the fork server died during the run ({_server.Death})" : null;

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _exit.WaitAsync(cancellationToken);

    public void CloseStdin() => Stdin.Close();

    public void KillTree()
    {
        // The run's cgroup holds every process of it (its pid 1 and the program's): the cgroup kill already reached them all.
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Cgroup.Dispose();
        foreach (var stream in new[] { Stdin, Stdout, Stderr })
        {
            try
            {
                stream.Dispose();
            }
            catch (IOException)
            {
                // A broken stdin pipe is closed either way.
            }
        }

        _folder.Dispose();
        _uid.Dispose();
        _server.RunEnded();
    }
}
