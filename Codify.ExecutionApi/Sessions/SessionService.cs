using Codify.Contracts;
using Codify.Contracts.Sessions;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Intake;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Sessions;

/// <summary>
/// Everything a transport (REST in Apis/SessionsApi, MCP) does with sessions: one path, one set of rules. Sessions and
/// their cells enter through the intake (budget, judge, sandbox availability); a session belongs to the client that made it
/// (another client gets 404); its sandbox lives on one replica, reached through that replica's own stream.
/// </summary>
public sealed partial class SessionService(
    ExecutionIntake intake,
    ExecutionStore executions,
    SessionStore store,
    SessionCourier courier,
    SessionPlacement placement,
    IOptions<SessionOptions> options,
    IOptions<ExecutionOptions> executionOptions,
    TimeProvider time)
{
    /// <summary>The code the intake's judge sees for a session's own admission (the session runs none by itself).</summary>
    private const string NoProgram = "# session";

    private SessionOptions Options => options.Value;

    private TimeSpan ReplyTimeout => TimeSpan.FromSeconds(Options.ReplyTimeoutSeconds);

    public async Task<SessionOutcome> CreateAsync(CreateSessionRequest request, string client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var idle = request.IdleTimeoutSeconds ?? Options.DefaultIdleTimeoutSeconds;
        if (idle < 1 || idle > Options.MaxIdleTimeoutSeconds)
        {
            return SessionProblemReasons.Invalid("idleTimeoutSeconds",
                $"idleTimeoutSeconds must be between 1 and {Options.MaxIdleTimeoutSeconds} (Sessions:MaxIdleTimeoutSeconds)");
        }

        var judged = new ExecuteRequest { Language = request.Language, Code = NoProgram, Limits = request.Limits };
        var outcome = await intake.AdmitAsync(judged, client, spec => StartAsync(spec, idle, client, cancellationToken), cancellationToken);
        return Unwrap(outcome);
    }

    public async Task<SessionOutcome> GetAsync(string id, string client)
    {
        var (session, problem) = await LoadAsync(id, client);
        return (SessionOutcome?)problem ?? new SessionFound(session!.Info);
    }

    /// <summary>Ends the session (its sandbox, processes, cgroup and folder go); closing an ended session answers it as it is.</summary>
    public async Task<SessionOutcome> CloseAsync(string id, string client, CancellationToken cancellationToken)
    {
        var (session, problem) = await LoadAsync(id, client);
        if (problem is not null || session!.Info.Status == SessionStatus.Ended)
        {
            return (SessionOutcome?)problem ?? new SessionFound(session!.Info);
        }

        await courier.AskAsync(session.Replica, new SessionRequest(SessionRequestKind.Close, NewId(), id), ReplyTimeout, cancellationToken);
        // Whether or not the replica answered: the session is over for the client (a replica that missed it expires it).
        await store.EndAsync(id, SessionEndReasons.Closed);
        return await GetAsync(id, client);
    }

    private async Task<IntakeOutcome> StartAsync(ExecutionSpec spec, int idleSeconds, string client, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var info = new SessionInfo
        {
            Id = NewId(),
            Language = spec.Language,
            Limits = spec.Limits,
            CreatedAt = now,
            ExpiresAt = now.AddSeconds(Options.MaxLifetimeSeconds),
            IdleTimeoutSeconds = idleSeconds,
            Status = SessionStatus.Starting,
        };
        var replicas = await placement.CandidatesAsync();
        if (replicas.Count == 0)
        {
            return IntakeRefusals.NoSandbox();
        }

        if (!await store.TryCreateAsync(info, client, replicas[0]))
        {
            return new SessionAdmitted(SessionProblemReasons.TooMany(Options.MaxSessionsPerClient));
        }

        foreach (var replica in replicas)
        {
            await store.MoveAsync(info.Id, replica);
            var reply = await courier.AskAsync(replica, new SessionRequest(SessionRequestKind.Start, NewId(), info.Id), ReplyTimeout, cancellationToken);
            if (reply is { Error: null })
            {
                return new SessionAdmitted(new SessionFound((await store.GetAsync(info.Id))?.Info ?? info));
            }

            if (reply?.Error != SessionReplyErrors.Full)
            {
                var why = reply is null ? $"the sandbox replica did not start it within {Options.ReplyTimeoutSeconds} s" : $"the sandbox failed to start it: {reply.Detail}";
                await store.EndAsync(info.Id, why);
                return new SessionAdmitted(SessionProblemReasons.Unavailable($"The session could not be started: {why}."));
            }
        }

        await store.EndAsync(info.Id, "no sandbox replica had room for it");
        return new SessionAdmitted(SessionProblemReasons.Unavailable(
            "Every sandbox replica holds as many sessions as it may (Sessions:MaxSessionsPerReplica); retry later."));
    }

    /// <summary>The session, when it exists and is <paramref name="client"/>'s; a live one whose replica died is ended here, saying so.</summary>
    private async Task<(StoredSession? Session, SessionProblem? Problem)> LoadAsync(string id, string client)
    {
        var session = await store.GetAsync(id);
        // Another client's session answers exactly like a missing one: ids are not a way to probe who has what.
        if (session is null || session.Client != client)
        {
            return (null, SessionProblemReasons.SessionNotFound(id));
        }

        if (session.Info.Status != SessionStatus.Ended
            && !await store.ReplicaAliveAsync(session.Replica, executionOptions.Value.SandboxHeartbeatTimeoutSeconds))
        {
            // The cell under way died with the replica: it ends now, saying so, whoever waits for it.
            await store.EndWithLostReplicaAsync(id, session.Cell);
            session = await store.GetAsync(id) ?? session;
        }

        return (session, null);
    }

    private static SessionOutcome Unwrap(IntakeOutcome outcome) => outcome switch
    {
        SessionAdmitted admitted => admitted.Outcome with { RateLimit = outcome.RateLimit },
        _ => new SessionNotAdmitted(outcome) { RateLimit = outcome.RateLimit },
    };

    private static string NewId() => Guid.CreateVersion7().ToString("N");
}
