using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Codify.Contracts;
using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Workspace;

namespace Codify.Sandbox.ForkServer;

/// <summary>Starting a server: its folder, cgroup and process, then its control connection and preloads.</summary>
internal sealed partial class ForkServerProcess
{
    /// <summary>Starts a server and waits until its preloads are imported; a start that fails leaves nothing behind.</summary>
    public static async Task<(ForkServerProcess? Server, string? Failure)> StartAsync(ForkServerStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var o = start.Options;
        RunFolder? folder = null;
        ICgroupRun? cgroup = null;
        Socket? listener = null;
        Process? process = null;
        try
        {
            folder = RunFolder.Create(start.Isolation.RunRoot, "fs");
            var passwd = folder.WriteFile("passwd", SandboxStarter.SyntheticPasswd);
            var controlDir = Path.Combine(folder.Path, "c");
            var spoolDir = Path.Combine(folder.Path, "spool");
            Directory.CreateDirectory(controlDir, FolderMode);
            Directory.CreateDirectory(spoolDir, FolderMode);
            var socketPath = Path.Combine(controlDir, ForkServerCommand.ControlSocketName);
            listener = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(1);
            // Only the server's uid may connect: no sandboxed run (other uids, and they cannot see the path) ever can.
            Descriptors.Chown(socketPath, o.HostUidBase, o.HostUidBase);
            File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            cgroup = start.Cgroups.Create($"forkserver-{Guid.NewGuid():N}", ServerLimits(o, start.MaxConcurrent));
            var info = new ProcessStartInfo(LaunchCommand.Shell)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // Nothing of the Sandbox service's environment reaches the server (nor, through it, any run).
            info.Environment.Clear();
            var marker = LaunchCommand.NewFailureMarker();
            var command = ForkServerCommand.Build(start.Isolation, o, passwd, controlDir, spoolDir, start.MaxConcurrent + (2 * o.Prefork) + 1);
            foreach (var arg in LaunchCommand.Build(marker, start.SeccompBpfPath, cgroup.ProcsFiles, ServerLimits(o, start.MaxConcurrent), command))
            {
                info.ArgumentList.Add(arg);
            }

            process = await start.Launcher.StartAsync(info);
            using var timeout = new CancellationTokenSource(o.StartTimeoutMs);
            var unshared = new byte[1];
            if (await process.StandardOutput.BaseStream.ReadAsync(unshared, timeout.Token) != 1 || unshared[0] != ForkServerCommand.UnsharedByte)
            {
                throw new IOException("the bootstrap did not create its user namespace: " + await StderrAsync(process, cgroup));
            }

            // The range: inner 0 (the server) and 1..count-1 (the runs) are host uids base..base+count-1; host root stays unmapped.
            var map = $"0 {o.HostUidBase.ToString(CultureInfo.InvariantCulture)} {o.HostUidCount.ToString(CultureInfo.InvariantCulture)}";
            await File.WriteAllTextAsync($"/proc/{process.Id}/uid_map", map, timeout.Token);
            await File.WriteAllTextAsync($"/proc/{process.Id}/gid_map", map, timeout.Token);
            await process.StandardInput.BaseStream.WriteAsync(new[] { ForkServerCommand.MappedByte }, timeout.Token);
            process.StandardInput.Close();

            var control = await listener.AcceptAsync(timeout.Token);
            var hello = new byte[256];
            var read = await control.ReceiveAsync(hello, SocketFlags.None, timeout.Token);
            if (read == 0 || ControlMessages.Parse(hello.AsSpan(0, read)).Kind != ServerMessageKind.Hello)
            {
                control.Dispose();
                throw new IOException("the fork server did not say hello: " + await StderrAsync(process, cgroup));
            }

            File.Delete(socketPath);
            return (new ForkServerProcess(control, process, cgroup, folder, start.Logger), null);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or UnauthorizedAccessException
            or CgroupException or System.ComponentModel.Win32Exception or FormatException or ArgumentException)
        {
            var detail = e is OperationCanceledException && process is not null && cgroup is not null
                ? $"not ready within {o.StartTimeoutMs} ms: {await StderrAsync(process, cgroup)}" : e.Message;
            cgroup?.Dispose();
            process?.Dispose();
            folder?.Dispose();
            return (null, $"fork server failed to start: {detail}".Trim());
        }
        finally
        {
            listener?.Dispose();
        }
    }

    private static async Task<string> StderrAsync(Process process, ICgroupRun cgroup)
    {
        cgroup.KillAll();
        var stderr = process.StandardError.ReadToEndAsync();
        return await Task.WhenAny(stderr, Task.Delay(1000)) == stderr ? (await stderr).Trim() : "";
    }

    /// <summary>The server's own cgroup: the preloaded interpreter, and each child until the host moves it to its run's cgroup.</summary>
    private static ExecutionLimits ServerLimits(ForkServerOptions o, int maxConcurrent) => new(
        WallTimeMs: o.StartTimeoutMs, CpuTimeMs: int.MaxValue - 1000, MemoryBytes: o.MemoryBytes,
        Processes: 64 + 4 * (maxConcurrent + 2 * o.Prefork), OutputBytes: 1, FileSizeBytes: 1L << 40);

    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
}
