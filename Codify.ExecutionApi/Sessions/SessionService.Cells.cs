using Codify.Contracts;
using Codify.Contracts.Sessions;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Intake;
using Codify.ExecutionApi.Limits;

namespace Codify.ExecutionApi.Sessions;

public sealed partial class SessionService
{
    /// <summary>
    /// Runs one cell: an execution with the session's id, admitted by the intake like any execution (budget, judge), queued
    /// on the session's replica's stream. One cell at a time: a second one while a cell runs gets <c>busy</c> (409).
    /// Answers once the cell has ended, or with its latest state when its wall limit plus slack passes.
    /// </summary>
    public Task<SessionOutcome> ExecuteAsync(string id, ExecuteCellRequest request, string client, CancellationToken cancellationToken) =>
        RunCellAsync(id, request, client, wait: true, cancellationToken);

    /// <summary>
    /// The same, answering as soon as the cell is queued (its record is <c>queued</c>): follow it by its execution id over
    /// the WebSocket or <c>/api/execute/{id}/events</c>, or poll <c>/api/execute/{id}</c>.
    /// </summary>
    public Task<SessionOutcome> SubmitCellAsync(string id, ExecuteCellRequest request, string client, CancellationToken cancellationToken) =>
        RunCellAsync(id, request, client, wait: false, cancellationToken);

    private async Task<SessionOutcome> RunCellAsync(string id, ExecuteCellRequest request, string client, bool wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (session, problem) = await LoadAsync(id, client);
        if (problem is not null || session!.Info.Status != SessionStatus.Ready)
        {
            return problem ?? NotReady(session!.Info);
        }

        if (request.Stdin is { Length: > 0 } && session.Info.Language != Languages.Python.Name)
        {
            return SessionProblemReasons.Invalid("stdin", "stdin is supported in python sessions only");
        }

        var limits = session.Info.Limits;
        var judged = new ExecuteRequest
        {
            Language = session.Info.Language,
            Code = request.Code,
            Stdin = request.Stdin,
            Timeout = request.Timeout ?? limits.WallTimeMs / 1000.0,
            // The session's own caps: memory and processes are its cgroup's, set when it started.
            Limits = new RequestedLimits
            {
                Cpu = limits.CpuTimeMs / 1000.0,
                Memory = limits.MemoryBytes,
                Processes = limits.Processes,
                Output = limits.OutputBytes,
                FileSize = limits.FileSizeBytes,
            },
        };
        var outcome = await intake.AdmitAsync(judged, client, spec => QueueCellAsync(session, spec), cancellationToken);
        if (outcome is not IntakeQueued queued)
        {
            return Unwrap(outcome);
        }

        var cell = wait ? await WaitForCellAsync(session, queued, cancellationToken) : queued.Record;
        var latest = (await store.GetAsync(id))?.Info ?? session.Info;
        return new CellRan(cell, latest) { RateLimit = outcome.RateLimit };
    }

    private async Task<IntakeOutcome> QueueCellAsync(StoredSession session, ExecutionSpec spec)
    {
        var id = session.Info.Id;
        // The claim holds the cell's execution id from the start: the replica frees it by that id when the cell ends, which
        // can be before this request has heard back from the queueing (a claim set to the id only afterwards stayed taken).
        var token = ExecutionStore.NewId();
        var hold = TimeSpan.FromMilliseconds(spec.Limits.WallTimeMs) + TimeSpan.FromSeconds(executionOptions.Value.WaitSlackSeconds);
        switch (await store.ClaimCellAsync(id, token, hold))
        {
            case "ok":
                break;
            case "busy":
                return new SessionAdmitted(SessionProblemReasons.SessionBusy(id));
            default:
                return new SessionAdmitted(NotReady((await store.GetAsync(id))?.Info ?? session.Info));
        }

        try
        {
            var record = await executions.CreateAsync(spec with { SessionId = id }, replica: session.Replica, executionId: token);
            return new IntakeQueued(record, spec, null);
        }
        catch
        {
            await store.ReleaseCellAsync(id, token);
            throw;
        }
    }

    /// <summary>Waits in heartbeat-sized steps: a replica that dies mid-cell ends the cell and the session, saying so.</summary>
    private async Task<ExecutionRecord> WaitForCellAsync(StoredSession session, IntakeQueued queued, CancellationToken cancellationToken)
    {
        var heartbeat = executionOptions.Value.SandboxHeartbeatTimeoutSeconds;
        var deadline = time.GetUtcNow() + TimeSpan.FromMilliseconds(queued.Spec.Limits.WallTimeMs)
            + TimeSpan.FromSeconds(executionOptions.Value.WaitSlackSeconds);
        var record = queued.Record;
        while (time.GetUtcNow() < deadline)
        {
            record = await executions.WaitForEndAsync(record.Id, TimeSpan.FromSeconds(heartbeat), cancellationToken) ?? record;
            if (record.Status.IsTerminal())
            {
                return record;
            }

            if (!await store.ReplicaAliveAsync(session.Replica, heartbeat))
            {
                await store.EndWithLostReplicaAsync(session.Info.Id, record.Id);
                return await executions.GetAsync(record.Id) ?? record;
            }
        }

        return record;
    }

    private static SessionProblem NotReady(SessionInfo session) => session.Status == SessionStatus.Ended
        ? SessionProblemReasons.SessionEnded(session)
        : SessionProblemReasons.SessionBusy(session.Id) with { Detail = $"Session '{session.Id}' is still starting; retry in a moment." };
}
