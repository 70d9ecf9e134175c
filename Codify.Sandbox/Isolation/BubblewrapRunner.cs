using System.ComponentModel;
using System.Diagnostics;
using Codify.Contracts;
using Codify.Sandbox.Isolation.Cgroups;
using Codify.Sandbox.Isolation.Seccomp;
using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Isolation;

/// <summary>
/// Runs one program with every isolation layer: its own cgroup (memory, pids, CPU), rlimits, seccomp, an
/// unprivileged uid and fresh namespaces. A layer that cannot be set up fails the run closed and the service Unhealthy.
/// </summary>
public sealed partial class BubblewrapRunner(
    IOptions<IsolationOptions> options,
    IsolationState isolation,
    ICgroupDriver cgroups,
    SeccompProvider seccomp,
    HostUidPool uids,
    ProcessLauncher launcher,
    ILogger<BubblewrapRunner> logger) : ISandboxRunner
{
    private const string SyntheticPasswd = "root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/box:/usr/sbin/nologin\n";

    public Task<ExecutionResult> RunAsync(string executionId, ExecutionSpec spec, CancellationToken cancellationToken) =>
        RunAsync(executionId, spec, onOutput: null, stdin: null, cancellationToken);

    public async Task<ExecutionResult> RunAsync(string executionId, ExecutionSpec spec, OutputChunkHandler? onOutput, IStdinFeed? stdin,
        CancellationToken cancellationToken)
    {
        if (!isolation.IsReady)
        {
            return ExecutionResult.InternalError($"sandbox cannot isolate: {isolation.Reason}");
        }

        return await RunIsolatedAsync(executionId, spec, cancellationToken, onOutput, stdin);
    }

    /// <summary>The run itself, without the readiness gate: used by the probe that decides readiness.</summary>
    internal async Task<ExecutionResult> RunIsolatedAsync(string executionId, ExecutionSpec spec, CancellationToken cancellationToken,
        OutputChunkHandler? onOutput = null, IStdinFeed? stdin = null)
    {
        if (Languages.Find(spec.Language) is not { } language)
        {
            return ExecutionResult.InternalError($"unsupported language '{spec.Language}'");
        }

        var files = spec.ProgramFiles(language);
        // Names become host paths: never trust the record, even though the API validated them.
        if (files.FirstOrDefault(f => !SourceFile.IsSafeName(f.Name)) is { } unsafeFile)
        {
            return ExecutionResult.InternalError($"unsafe file name '{unsafeFile.Name}'");
        }

        SeccompFilter filter;
        ICgroupRun cgroup;
        HostUidPool.Lease hostUid;
        try
        {
            filter = seccomp.Filter;
            hostUid = uids.Acquire();
        }
        catch (Exception e) when (e is SeccompException or IOException or UnauthorizedAccessException)
        {
            return Broken($"{(e is SeccompException ? "seccomp" : "host uid")} setup failed: {e.Message}");
        }

        // Released only after the cgroup below is killed and gone: no process of this uid outlives the lease.
        using var hostUidLease = hostUid;
        try
        {
            // Named after the execution, so an operator (or a test) can tell which run a cgroup belongs to.
            cgroup = cgroups.Create($"run-{RunFolder.SafeName(executionId)}-{Guid.NewGuid():N}", spec.Limits);
        }
        catch (CgroupException e)
        {
            return Broken($"cgroup setup failed: {e.Message}");
        }

        using (cgroup)
        using (var folder = RunFolder.Create(options.Value.RunRoot, executionId))
        {
            var passwd = folder.WriteFile("passwd", SyntheticPasswd);
            var programFiles = files.Select(f => (folder.WriteFile($"src/{f.Name}", f.Content), f.Name)).ToList();
            var sandbox = BubblewrapCommand.Build(options.Value, hostUid.Uid, language, programFiles, passwd, spec.Limits, spec.Args);
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
            foreach (var arg in LaunchCommand.Build(failureMarker, filter.BpfPath, cgroup.ProcsFiles, spec.Limits, sandbox))
            {
                start.ArgumentList.Add(arg);
            }

            Process process;
            try
            {
                process = await launcher.StartAsync(start);
            }
            catch (Win32Exception e)
            {
                return Broken($"cannot start {start.FileName}: {e.Message}");
            }

            using (process)
            {
                var result = await RunSupervisor.SuperviseAsync(process, cgroup, spec, failureMarker, logger, cancellationToken, onOutput, stdin);
                if (result.Status == ExecutionStatus.InternalError)
                {
                    isolation.MarkBroken(result.Message ?? "sandbox setup failed");
                }

                return result;
            }
        }
    }

    private ExecutionResult Broken(string reason)
    {
        LogBroken(logger, reason);
        isolation.MarkBroken(reason);
        return ExecutionResult.InternalError(reason);
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Sandbox layer failed, refusing to run code until the probe passes again: {Reason}")]
    private static partial void LogBroken(ILogger logger, string reason);
}
