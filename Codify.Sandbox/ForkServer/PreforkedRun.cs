using System.IO.Pipes;
using Codify.Contracts;
using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Pool;
using Codify.Sandbox.Workspace;
using Microsoft.Win32.SafeHandles;

namespace Codify.Sandbox.ForkServer;

/// <summary>
/// A child forked ahead of time: in its own user (its own host uid), pid, mount, net, ipc and uts namespaces, with fresh
/// tmpfs mounts and its (empty) program file bound read-only, moved by the host into a cgroup of its own with idle caps,
/// its program's process forked and waiting for the run's pipes. Used once.
/// </summary>
internal sealed class PreforkedRun(ForkServerProcess server, string id, IReusableCgroupRun cgroup, HostUidPool.Lease uid, RunFolder folder) : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);

    private bool _handedOver;

    public ForkServerProcess Server { get; } = server;

    public bool IsAlive => Server.Death is null && !Server.ExitOf(id).IsCompleted;

    /// <summary>Forks, isolates and joins one child; a failure leaves nothing behind.</summary>
    public static async Task<PreforkedRun> CreateAsync(ForkServerProcess server, ICgroupDriver cgroups, HostUidPool uids, ForkServerOptions options)
    {
        var (first, count) = options.RunUids;
        var uid = uids.Acquire(first, count);
        var id = Guid.NewGuid().ToString("N");
        IReusableCgroupRun? cgroup = null;
        RunFolder? folder = null;
        try
        {
            cgroup = cgroups.Create($"fork-{id}", IdleLimits) as IReusableCgroupRun
                ?? throw new CgroupException("the cgroup driver cannot re-target a run");
            // Root-owned, in a root-owned folder: the child binds it read-only now, the host fills it when the run comes.
            folder = RunFolder.Create(server.SpoolRoot, $"fork-{id}");
            folder.WriteFile(Languages.Find("python")!.FileName, "");
            var child = await server.PreforkAsync(id, uid.Uid - options.HostUidBase, Path.GetFileName(folder.Path)).WaitAsync(ReadyTimeout);
            // The run's one process so far (its program is forked from it, inside): one cgroup.procs write per hierarchy.
            var hostPid = server.HostPidsOf([child])[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var procs in cgroup.ProcsFiles)
            {
                File.WriteAllText(procs, hostPid);
            }

            // Only now the program's process is forked: born in the run's cgroup.
            server.Joined(id);
            return new PreforkedRun(server, id, cgroup, uid, folder);
        }
        catch
        {
            server.Drop(id);
            cgroup?.Dispose();
            folder?.Dispose();
            uid.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Hands the program over, as a warm sandbox's dispatch does: the cgroup keeps its name (v2 has no rename), the run's limits, usage
    /// restarted; the bound program file filled; pipes created and passed; the launcher's header written; its ready byte read.
    /// Returns the run to supervise, or why not (nothing of the program ran; dispose this and run it elsewhere).
    /// </summary>
    public async Task<(ForkedRun? Run, string? Failure)> DispatchAsync(string executionId, ExecutionSpec spec, LanguageInfo python)
    {
        if (!IsAlive)
        {
            return (null, Server.Death ?? "the preforked child exited while idle");
        }

        var ends = new List<int>();
        try
        {
            // One task fewer than the run asked for: a cold run's pids limit also counts bwrap's two processes, a fork's only
            // its pid 1, so its program gets exactly as many tasks of its own as a cold one.
            cgroup.ApplyLimits(spec.Limits with { Processes = Math.Max(1, spec.Limits.Processes - 1) });
            cgroup.ResetUsage();
            // The same inode the child bound: its content appears in the child's read-only /box/main.py.
            folder.Refill(python.FileName, spec.ProgramFiles(python)[0].Content);
            // Named after the execution, as a cold run's folder (the bind follows the file, not the path).
            folder.Rename(executionId);
            var (stdinRead, stdinWrite) = Descriptors.Pipe();
            ends.AddRange([stdinRead, stdinWrite]);
            var (stdoutRead, stdoutWrite) = Descriptors.Pipe();
            ends.AddRange([stdoutRead, stdoutWrite]);
            var (stderrRead, stderrWrite) = Descriptors.Pipe();
            ends.AddRange([stderrRead, stderrWrite]);
            Server.Run(id, spec.Limits, [stdinRead, stdoutWrite, stderrWrite]);
            // The child holds its own copies now; the host keeps only its ends, so EOF means the run closed them.
            foreach (var end in new[] { stdinRead, stdoutWrite, stderrWrite })
            {
                Descriptors.Close(end);
                ends.Remove(end);
            }

            var stdin = new AnonymousPipeClientStream(PipeDirection.Out, new SafePipeHandle(stdinWrite, ownsHandle: true));
            var stdout = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(stdoutRead, ownsHandle: true));
            var stderr = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(stderrRead, ownsHandle: true));
            ends.Clear();
            var run = new ForkedRun(Server, id, cgroup, uid, folder, stdin, stdout, stderr);
            _handedOver = true;
            // One write well under the pipe's capacity (arguments are at most 8 KiB): it never waits for the reader.
            await stdin.WriteAsync(WarmLaunchers.Header(spec.Args));
            var ready = new byte[1];
            using var timeout = new CancellationTokenSource(ReadyTimeout);
            if (await stdout.ReadAsync(ready, timeout.Token) != 1 || ready[0] != WarmLaunchers.ReadyByte)
            {
                run.Dispose();
                return (null, "the forked child did not start its program");
            }

            return (run, null);
        }
        catch (Exception e) when (e is CgroupException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            ends.ForEach(Descriptors.Close);
            return (null, $"dispatch failed: {e.Message}");
        }
    }

    public void Dispose()
    {
        if (_handedOver)
        {
            return;
        }

        Server.Drop(id);
        cgroup.Dispose();
        folder.Dispose();
        uid.Dispose();
    }

    /// <summary>Caps of an idle preforked child (copy-on-write pages of the server); the run's own replace them.</summary>
    internal static readonly ExecutionLimits IdleLimits = new(
        WallTimeMs: 1000, CpuTimeMs: 1000, MemoryBytes: 64L << 20, Processes: 8, OutputBytes: 1, FileSizeBytes: 1);
}
