using System.ComponentModel;
using System.Diagnostics;
using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Seccomp;
using Codify.Sandbox.Workspace;
using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Launch;

/// <summary>
/// Starts one sandbox with every isolation layer: seccomp filter, a leased unprivileged host uid, its own cgroup with
/// limits, a root-owned run folder, rlimits, bubblewrap. Shared by cold runs and warm (pooled) sandboxes, so both get
/// exactly the same layers. A layer that cannot be set up is reported as a failure, and nothing is left behind.
/// </summary>
internal sealed class SandboxStarter(
    IOptions<IsolationOptions> isolation, ICgroupDriver cgroups, SeccompProvider seccomp, HostUidPool uids, ProcessLauncher launcher)
{
    internal const string SyntheticPasswd = "root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/box:/usr/sbin/nologin\n";

    /// <returns>The started sandbox, or why a layer could not be set up.</returns>
    public async Task<(StartedSandbox? Sandbox, string? Failure)> StartAsync(SandboxLaunch launch)
    {
        var options = isolation.Value;
        // Names become host paths: never trust the record, even though the API validated them.
        if (launch.ProgramFiles.FirstOrDefault(f => !Contracts.SourceFile.IsSafeName(f.Name)) is { } unsafeFile)
        {
            return (null, $"unsafe file name '{unsafeFile.Name}'");
        }

        SeccompFilter filter;
        HostUidPool.Lease hostUid;
        try
        {
            filter = seccomp.Filter;
            hostUid = uids.Acquire();
        }
        catch (Exception e) when (e is SeccompException or IOException or UnauthorizedAccessException)
        {
            return (null, $"{(e is SeccompException ? "seccomp" : "host uid")} setup failed: {e.Message}");
        }

        ICgroupRun cgroup;
        try
        {
            cgroup = cgroups.Create(launch.CgroupName, launch.Limits);
        }
        catch (CgroupException e)
        {
            hostUid.Dispose();
            return (null, $"cgroup setup failed: {e.Message}");
        }

        RunFolder? folder = null;
        try
        {
            folder = RunFolder.Create(options.RunRoot, launch.FolderName);
            var passwd = folder.WriteFile("passwd", SyntheticPasswd);
            var programFiles = launch.ProgramFiles.Select(f => (folder.WriteFile($"src/{f.Name}", f.Content), f.Name)).ToList();
            var extras = (launch.ExtraFiles ?? []).Select(f => (folder.WriteFile(f.Name, f.Content), f.SandboxPath)).ToList();
            var channel = launch.Channel is { } c ? (folder.CreateChannel(c.Name, hostUid.Uid), c.SandboxPath) : default((string, string)?);
            var sandbox = BubblewrapCommand.Build(options, hostUid.Uid, programFiles, passwd, launch.Command, extras, channel);
            var start = new ProcessStartInfo(LaunchCommand.Shell)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            // Nothing of the Sandbox service's environment reaches bwrap, whose pid 1 would expose it in /proc/1/environ.
            start.Environment.Clear();
            var failureMarker = LaunchCommand.NewFailureMarker();
            foreach (var arg in LaunchCommand.Build(failureMarker, filter.BpfPath, cgroup.ProcsFiles, launch.Limits, sandbox))
            {
                start.ArgumentList.Add(arg);
            }

            var process = await launcher.StartAsync(start);
            if (launch.Niceness != 0)
            {
                // Set while the wrapper still joins its cgroups (milliseconds), before it forks: every process inherits it.
                Niceness.Set(process.Id, launch.Niceness);
            }

            return (new StartedSandbox(process, cgroup, folder, hostUid, failureMarker), null);
        }
        catch (Win32Exception e)
        {
            Release(cgroup, folder, hostUid);
            return (null, $"cannot start {LaunchCommand.Shell}: {e.Message}");
        }
        catch
        {
            // Run folder I/O errors reach the caller as before (the job handler reports them); nothing stays behind.
            Release(cgroup, folder, hostUid);
            throw;
        }
    }

    private static void Release(ICgroupRun cgroup, RunFolder? folder, HostUidPool.Lease hostUid)
    {
        cgroup.Dispose();
        folder?.Dispose();
        hostUid.Dispose();
    }
}
