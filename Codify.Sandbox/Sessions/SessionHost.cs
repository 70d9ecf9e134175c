using System.Collections.Concurrent;
using Codify.Contracts;
using Codify.Contracts.Sessions;
using Codify.Sandbox.Capture;
using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Readiness;
using Codify.Sandbox.Sessions.Pool;
using Codify.Sandbox.Supervision;
using Codify.Sandbox.Workspace;
using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Sessions;

/// <summary>
/// The sessions this replica holds: starts them, runs their cells and file operations one at a time, ends them (close,
/// idle, lifetime, a killed interpreter, the replica stopping). Ending kills the session's cgroup and removes its folder.
/// A session gets a kernel from <paramref name="pool"/> when one fits (without a pool, or none ready, it starts its own).
/// </summary>
internal sealed partial class SessionHost(
    SandboxStarter starter,
    SessionRecords records,
    SandboxCleanup cleanup,
    IsolationState isolation,
    IOptions<IsolationOptions> isolationOptions,
    IOptions<SessionHostOptions> options,
    IOptions<CaptureOptions> capture,
    TimeProvider time,
    ILogger<SessionHost> logger,
    KernelPool? pool = null) : ISessionCellRunner
{
    private readonly ConcurrentDictionary<string, KernelSession> _live = new();

    public int Count => _live.Count;

    public IReadOnlyCollection<KernelSession> Live => [.. _live.Values];

    public KernelSession? Find(string id) => _live.GetValueOrDefault(id);

    public async Task<SessionReply> StartAsync(string id)
    {
        if (!isolation.IsReady)
        {
            // Fail closed, like a run: a replica that cannot isolate starts no session (the API tries another).
            return new SessionReply { Error = SessionReplyErrors.Full, Detail = $"sandbox cannot isolate: {isolation.Reason}" };
        }

        if (_live.Count >= options.Value.MaxSessionsPerReplica)
        {
            return new SessionReply { Error = SessionReplyErrors.Full, Detail = "this replica holds its maximum of sessions" };
        }

        if (await records.LoadAsync(id) is not ({ } plan, "starting"))
        {
            return new SessionReply { Error = SessionReplyErrors.Gone, Detail = "the session is no longer starting" };
        }

        var (session, failure) = HandOver(plan) is { } pooled
            ? (pooled, null)
            : await KernelSession.StartAsync(starter, isolationOptions.Value, options.Value, plan, time);
        if (session is null)
        {
            LogStartFailed(logger, id, failure!);
            return new SessionReply { Error = SessionReplyErrors.Failed, Detail = failure };
        }

        _live[id] = session;
        if (!await records.MarkReadyAsync(id))
        {
            await EndAsync(session, "the session ended while it started");
            return new SessionReply { Error = SessionReplyErrors.Gone, Detail = "the session ended while it started" };
        }

        LogStarted(logger, id, plan.Language.Name);
        return new SessionReply();
    }

    public async Task<ExecutionResult> RunCellAsync(string executionId, ExecutionSpec spec, OutputChunkHandler? onOutput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (Find(spec.SessionId ?? "") is not { } session)
        {
            await records.CellEndedAsync(spec.SessionId ?? "", executionId);
            return ExecutionResult.InternalError("the session has ended on its replica; the cell did not run") with { SessionEnded = "ended before this cell" };
        }

        await session.Gate.WaitAsync(cancellationToken);
        ExecutionResult result;
        try
        {
            result = await CellRun.RunAsync(session, executionId, spec, onOutput, TimeSpan.FromMilliseconds(options.Value.InterruptGraceMs), capture.Value, cancellationToken);
            session.LastActivity = time.GetUtcNow();
        }
        finally
        {
            session.Gate.Release();
        }

        if (result.SessionEnded is { } reason)
        {
            await EndAsync(session, reason);
        }

        await records.CellEndedAsync(session.Plan.Id, executionId);
        return result;
    }

    public Task CellNotRunAsync(string executionId, ExecutionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return records.CellNotRunAsync(spec.SessionId ?? "", executionId);
    }

    /// <summary>A pooled kernel made this session's; null when none is ready or the handover failed (that kernel is torn down).</summary>
    private KernelSession? HandOver(SessionPlan plan)
    {
        if (pool?.Take(plan.Language, plan.Limits) is not { } kernel)
        {
            return null;
        }

        try
        {
            if (KernelSession.HandOver(kernel, plan, time) is { } session)
            {
                return session;
            }
        }
        catch (Exception e) when (e is CgroupException or IOException or UnauthorizedAccessException)
        {
            // A limit the idle kernel cannot meet (memory under what it holds) or a step that failed: this kernel serves nobody.
            LogHandOverFailed(logger, plan.Id, e.Message);
        }

        cleanup.Defer(kernel);
        return null;
    }

    /// <summary>Ends a session: record first (the API stops sending), then the sandbox goes (processes, cgroup, folder).</summary>
    public async Task EndAsync(KernelSession session, string reason)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!_live.TryRemove(new KeyValuePair<string, KernelSession>(session.Plan.Id, session)))
        {
            return;
        }

        session.End(reason);
        LogEnded(logger, session.Plan.Id, session.EndReason ?? reason);
        try
        {
            await records.EndAsync(session.Plan.Id, session.EndReason ?? reason);
        }
        finally
        {
            // A cell under way sees its kernel gone at once; its sandbox is torn down once it has read the cell's usage.
            var idle = await session.Gate.WaitAsync(TimeSpan.FromSeconds(5));
            cleanup.Defer(session);
            if (idle)
            {
                session.Gate.Release();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} started ({Language})")]
    private static partial void LogStarted(ILogger logger, string sessionId, string language);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} ended: {Reason}")]
    private static partial void LogEnded(ILogger logger, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: no pooled kernel could take its limits ({Reason}); it starts its own")]
    private static partial void LogHandOverFailed(ILogger logger, string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId} could not start: {Failure}")]
    private static partial void LogStartFailed(ILogger logger, string sessionId, string failure);
}
