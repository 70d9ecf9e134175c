using System.Diagnostics;
using System.Diagnostics.Metrics;
using Codify.Contracts;
using Codify.Sandbox.Pool;
using Codify.Sandbox.Readiness;
using Codify.Sandbox.Supervision;
using Codify.Sandbox.Workspace;

namespace Codify.Sandbox.ForkServer;

/// <summary>
/// Serves a python run by a fork of the fork server when it can (Sandbox:Mode = ForkServer, a single-file python program,
/// a live server); everything else goes to the pooled runner (warm, then cold), with the reason as the metric's fork_reason
/// tag. A forked run is supervised by the same supervisor as the other paths: same verdicts, limits, streaming and stdin.
/// </summary>
internal sealed partial class ForkServerRunner(
    PooledSandboxRunner pooled,
    ForkServers servers,
    IsolationState isolation,
    ExecutionModeState modes,
    RunSupervisor supervisor,
    SandboxCleanup cleanup,
    ILogger<ForkServerRunner> logger,
    IMeterFactory meters,
    [FromKeyedServices(ForkServers.LeanKey)] ForkServers? lean = null) : ISandboxRunner
{
    private readonly Counter<long> _runs = meters.Create(Codify.Hosting.CodifyTelemetry.MeterName)
        .CreateCounter<long>(Telemetry.RunPathTally.InstrumentName, description: "Runs started, by path (fork, warm: pooled sandbox, cold) and language, with the reason for not forking or for cold");

    public Task<ExecutionResult> RunAsync(string executionId, ExecutionSpec spec, CancellationToken cancellationToken) =>
        RunAsync(executionId, spec, onOutput: null, stdin: null, cancellationToken);

    public async Task<ExecutionResult> RunAsync(string executionId, ExecutionSpec spec, OutputChunkHandler? onOutput, IStdinFeed? stdin,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var reason = !servers.Enabled ? null : !isolation.IsReady ? "not ready" : Unservable(spec);
        if (servers.Enabled && reason is null)
        {
            if (await TakeChildAsync(spec) is not { } child)
            {
                reason = modes.Fallback is null ? "no preforked child" : "fork server unavailable";
            }
            else
            {
                // The program runs from its dispatch: its wall clock starts here, not once supervision begins.
                var dispatchedAt = Stopwatch.GetTimestamp();
                var (run, failure) = await child.DispatchAsync(executionId, spec, Languages.Find("python")!);
                if (run is not null)
                {
                    try
                    {
                        _runs.Add(1, new KeyValuePair<string, object?>("path", "fork"), new KeyValuePair<string, object?>("language", "python"));
                        Activity.Current?.SetTag("codify.sandbox.path", "fork");
                        return await supervisor.SuperviseAsync(run, spec, onOutput, stdin, dispatchedAt, cancellationToken);
                    }
                    finally
                    {
                        cleanup.Defer(run);
                    }
                }

                // Nothing of the program ran: it runs on the pool/cold path instead.
                child.Dispose();
                LogDispatchFailed(logger, executionId, failure);
                reason = "dispatch failed";
            }
        }

        return await pooled.RunAsync(executionId, spec, onOutput, stdin, reason, cancellationToken);
    }

    /// <summary>
    /// A child of the lean server unless the program names a preloaded module (or the lean one has none), else of the
    /// preloaded one; either serves any program.
    /// </summary>
    private async Task<PreforkedRun?> TakeChildAsync(ExecutionSpec spec)
    {
        var program = spec.ProgramFiles(Languages.Find("python")!)[0].Content;
        if (lean is not { Enabled: true } || PreloadUse.Names(program, servers.PreloadRoots))
        {
            return await servers.TakeAsync() ?? (lean is { Enabled: true } ? await lean.TakeAsync() : null);
        }

        return await lean.TakeAsync() ?? await servers.TakeAsync();
    }

    /// <summary>Why a fork cannot serve this run (null: it can): python only, one file at the entry's name.</summary>
    private static string? Unservable(ExecutionSpec spec)
    {
        if (Languages.Find(spec.Language) is not { Name: "python" } language)
        {
            // Forking a running V8 (threads, JIT state) is unsafe: node runs use the pool.
            return "language not forked";
        }

        if (spec.Captures)
        {
            // The capture module and its channel are bound by the pool's and the cold path's launches, not yet into a fork.
            return "captures outputs";
        }

        return PooledSandboxRunner.IsSingleEntryFile(spec, language) ? null : "multi-file program";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: the forked child could not take the program, running it on the pool/cold path: {Reason}")]
    private static partial void LogDispatchFailed(ILogger logger, string executionId, string? reason);
}
