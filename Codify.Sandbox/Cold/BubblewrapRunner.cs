using System.Diagnostics;
using Codify.Contracts;
using Codify.Sandbox.Capture;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Readiness;
using Codify.Sandbox.Supervision;
using Codify.Sandbox.Workspace;
using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Cold;

/// <summary>
/// Runs one program with every isolation layer: its own cgroup (memory, pids, CPU), rlimits, seccomp, an
/// unprivileged uid and fresh namespaces. A layer that cannot be set up fails the run closed and the service Unhealthy.
/// This is the cold path: the sandbox is started for the run. Pool/ serves runs from sandboxes started earlier, with the
/// same starter, supervisor and clean-up (shared services, given to both).
/// </summary>
internal sealed partial class BubblewrapRunner(
    IOptions<IsolationOptions> options,
    IOptions<CaptureOptions> capture,
    IsolationState isolation,
    SandboxStarter starter,
    RunSupervisor supervisor,
    SandboxCleanup cleanup,
    ILogger<BubblewrapRunner> logger) : ISandboxRunner
{
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

        var command = BubblewrapCommand.InterpreterCommand(options.Value, language, spec.Limits, files[0].Name).Concat(spec.Args ?? []).ToList();
        // Named after the execution, so an operator (or a test) can tell which run a cgroup belongs to.
        var launch = CapturingLaunch.Cold(
            new SandboxLaunch($"run-{RunFolder.SafeName(executionId)}-{Guid.NewGuid():N}", executionId, files, command, spec.Limits),
            spec, language, options.Value, capture.Value);
        var (sandbox, failure) = await starter.StartAsync(launch);
        if (sandbox is null)
        {
            return Broken(failure!);
        }

        try
        {
            return await supervisor.SuperviseAsync(sandbox, spec, onOutput, stdin, Stopwatch.GetTimestamp(), cancellationToken);
        }
        finally
        {
            cleanup.Defer(sandbox);
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
