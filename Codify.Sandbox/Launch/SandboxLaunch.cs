using System.Diagnostics;
using Codify.Contracts;
using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Workspace;

namespace Codify.Sandbox.Launch;

/// <summary>
/// What one sandbox start needs: its names on the host (cgroup, run folder), the program files it sees read-only in its
/// work dir, other host-written files bound read-only at absolute paths, the interpreter command, its limits, the
/// nice value it starts with (a warm sandbox starts in the background at a lower priority), and the one file the
/// sandbox may write for the host (<see cref="Channel"/>: the capture channel, see Capture/).
/// </summary>
internal sealed record SandboxLaunch(
    string CgroupName,
    string FolderName,
    IReadOnlyList<SourceFile> ProgramFiles,
    IReadOnlyList<string> Command,
    ExecutionLimits Limits,
    IReadOnlyList<(string Name, string Content, string SandboxPath)>? ExtraFiles = null,
    int Niceness = 0,
    (string Name, string SandboxPath)? Channel = null);

/// <summary>
/// One started sandbox and everything it holds on the host. Disposing kills the whole cgroup first (every process of the
/// run, including ones that left its process tree), then removes the run folder, and only then releases the host uid:
/// no process of that uid outlives the lease.
/// </summary>
internal sealed class StartedSandbox(Process process, ICgroupRun cgroup, RunFolder folder, HostUidPool.Lease hostUid, string failureMarker)
    : IDisposable, Supervision.ISupervisedRun
{
    public Process Process { get; } = process;

    public ICgroupRun Cgroup { get; } = cgroup;

    public RunFolder Folder { get; } = folder;

    public int HostUid => hostUid.Uid;

    /// <summary>This start's random launch-wrapper failure marker (<see cref="LaunchCommand.NewFailureMarker"/>).</summary>
    public string FailureMarker { get; } = failureMarker;

    int Supervision.ISupervisedRun.Id => Process.Id;

    Stream Supervision.ISupervisedRun.Stdin => Process.StandardInput.BaseStream;

    Stream Supervision.ISupervisedRun.Stdout => Process.StandardOutput.BaseStream;

    Stream Supervision.ISupervisedRun.Stderr => Process.StandardError.BaseStream;

    int Supervision.ISupervisedRun.ExitCode => Process.ExitCode;

    string? Supervision.ISupervisedRun.Lost => null;

    string? Supervision.ISupervisedRun.CaptureFolder => Folder.Path;

    Task Supervision.ISupervisedRun.WaitForExitAsync(CancellationToken cancellationToken) => Process.WaitForExitAsync(cancellationToken);

    void Supervision.ISupervisedRun.CloseStdin() => Process.StandardInput.Close();

    void Supervision.ISupervisedRun.KillTree()
    {
        try
        {
            Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    public void Dispose()
    {
        Cgroup.Dispose();
        // Process.Dispose leaves the standard streams open once they were used (the caller might still hold them): until
        // a finalizer ran, each run would keep two or three pipes open in the service.
        CloseQuietly(Process.StandardInput);
        CloseQuietly(Process.StandardOutput);
        CloseQuietly(Process.StandardError);
        Process.Dispose();
        Folder.Dispose();
        hostUid.Dispose();
    }

    /// <summary>
    /// A stdin write that met a program already gone leaves its pipe broken, and closing the writer flushes into it:
    /// that IOException must not skip the rest of the teardown (the uid lease) nor escape the cleanup thread.
    /// </summary>
    private static void CloseQuietly(IDisposable stream)
    {
        try
        {
            stream.Dispose();
        }
        catch (IOException)
        {
            // The pipe is closed either way.
        }
    }
}
