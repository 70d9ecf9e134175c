using System.Diagnostics;
using System.Diagnostics.Metrics;
using Codify.Contracts;
using Codify.Sandbox.Capture;
using Codify.Sandbox.Cold;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Readiness;
using Codify.Sandbox.Supervision;
using Codify.Sandbox.Workspace;
using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Pool;

/// <summary>
/// Runs a program in a warm sandbox when the pool has one that fits, else cold (<see cref="BubblewrapRunner"/>), the
/// fallback for everything the pool cannot serve. Both paths end in the same supervisor, so the verdict, the statistics
/// and the stdin feeding are one code path.
/// </summary>
internal sealed partial class PooledSandboxRunner(
    BubblewrapRunner cold,
    SandboxPool pool,
    IsolationState isolation,
    RunSupervisor supervisor,
    SandboxCleanup cleanup,
    IOptions<PoolOptions> options,
    IOptions<CaptureOptions> capture,
    ILogger<PooledSandboxRunner> logger,
    IMeterFactory meters) : ISandboxRunner
{
    private readonly Counter<long> _runs = meters.Create(Codify.Hosting.CodifyTelemetry.MeterName)
        .CreateCounter<long>(Telemetry.RunPathTally.InstrumentName, description: "Runs started, by path (fork, warm: pooled sandbox, cold) and language, with the reason for not forking or for cold");

    public Task<ExecutionResult> RunAsync(string executionId, ExecutionSpec spec, CancellationToken cancellationToken) =>
        RunAsync(executionId, spec, onOutput: null, stdin: null, cancellationToken);

    public Task<ExecutionResult> RunAsync(string executionId, ExecutionSpec spec, OutputChunkHandler? onOutput, IStdinFeed? stdin,
        CancellationToken cancellationToken) =>
        RunAsync(executionId, spec, onOutput, stdin, notForked: null, cancellationToken);

    /// <summary>The same, for a run the fork server (ForkServer/) could not serve: <paramref name="notForked"/> says why, as a metric tag.</summary>
    internal async Task<ExecutionResult> RunAsync(string executionId, ExecutionSpec spec, OutputChunkHandler? onOutput, IStdinFeed? stdin,
        string? notForked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        // The readiness gate comes first, as on the cold path: a replica that cannot isolate runs nothing, warm or cold.
        var reason = !isolation.IsReady ? "not ready" : Unservable(spec);
        if (reason is null)
        {
            if (await pool.TakeAsync(Languages.Find(spec.Language)!.Name) is { } warm)
            {
                try
                {
                    // The program runs from its dispatch: its wall clock starts here, not once supervision begins.
                    var dispatchedAt = Stopwatch.GetTimestamp();
                    var failure = await warm.DispatchAsync(executionId, spec,
                        spec.Captures && CapturingLaunch.ServesWarm(warm.Language) ? CaptureFiles.Request(spec, warm.Language, capture.Value) : null);
                    if (failure is null)
                    {
                        Count("warm", spec.Language, null, notForked);
                        return await supervisor.SuperviseAsync(warm.Sandbox, spec, onOutput, stdin, dispatchedAt, cancellationToken);
                    }

                    // Nothing of the program ran: it runs cold instead.
                    LogDispatchFailed(logger, executionId, failure);
                    reason = "dispatch failed";
                }
                finally
                {
                    cleanup.Defer(warm);
                }
            }
            else
            {
                reason = "pool empty";
            }
        }

        Count("cold", spec.Language, reason, notForked);
        return await cold.RunAsync(executionId, spec, onOutput, stdin, cancellationToken);
    }

    /// <summary>Why the pool cannot serve this run (null: it can). Warm sandboxes exist only for the plain case.</summary>
    private string? Unservable(ExecutionSpec spec)
    {
        if (Languages.Find(spec.Language) is not { } language || !pool.Serves(language.Name))
        {
            return "language not pooled";
        }

        if (!IsSingleEntryFile(spec, language))
        {
            return "multi-file program";
        }

        // Only python sandboxes carry the capture channel; node's returned files are collected by a cold run's preload.
        if (spec.ReturnFiles && !CapturingLaunch.ServesWarm(language))
        {
            return "files asked of a language without a warm capture";
        }

        // Node's heap cap is fixed at start from the memory limit the pool prepares for.
        if (language.Name == "javascript"
            && BubblewrapCommand.NodeHeapMegabytes(spec.Limits) != BubblewrapCommand.NodeHeapMegabytes(spec.Limits with { MemoryBytes = options.Value.MemoryBytes }))
        {
            return "node heap differs";
        }

        return null;
    }

    /// <summary>
    /// A pre-started interpreter (warm or forked) has one read-only file bound at the entry's default name before its
    /// program is known: only a program of exactly that one file can run in it.
    /// </summary>
    internal static bool IsSingleEntryFile(ExecutionSpec spec, LanguageInfo language)
    {
        var files = spec.ProgramFiles(language);
        return files.Count == 1 && files[0].Name == language.FileName;
    }

    private void Count(string path, string language, string? reason, string? notForked)
    {
        _runs.Add(1, new KeyValuePair<string, object?>("path", path), new KeyValuePair<string, object?>("language", Languages.Find(language)?.Name ?? "other"),
            new KeyValuePair<string, object?>("reason", reason),
            new KeyValuePair<string, object?>("fork_reason", notForked));
        Activity.Current?.SetTag("codify.sandbox.path", path);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: warm sandbox could not take the program, running it cold: {Reason}")]
    private static partial void LogDispatchFailed(ILogger logger, string executionId, string reason);
}
