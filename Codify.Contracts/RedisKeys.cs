namespace Codify.Contracts;

/// <summary>The Redis layout shared by the API and the Sandbox.</summary>
public static class RedisKeys
{
    /// <summary>Stream of jobs; each entry carries only the execution id and trace context.</summary>
    public const string JobStream = "codify:jobs";

    /// <summary>Consumer group every Sandbox replica reads <see cref="JobStream"/> with.</summary>
    public const string SandboxGroup = "sandbox";

    /// <summary>Pub/sub channel the API pokes after adding a job, so idle workers read at once instead of at their next poll.</summary>
    public const string JobsAvailableChannel = "codify:jobs:available";

    /// <summary>Sorted set of Sandbox replicas able to isolate, scored by their last heartbeat (unix ms).</summary>
    public const string HealthySandboxes = "codify:sandboxes:healthy";

    /// <summary>Hash of every registered Sandbox replica: field = replica id, value = <see cref="SandboxReplicaInfo"/> JSON.</summary>
    public const string SandboxReplicas = "codify:sandboxes:replicas";

    /// <summary>Sorted set of every registered Sandbox replica, healthy or not, scored by its last heartbeat (unix ms).</summary>
    public const string SandboxesSeen = "codify:sandboxes:seen";

    /// <summary>Execution statistics of one minute (unix minutes), written when executions end (see <see cref="ExecutionStatsScript"/>).</summary>
    public static string StatsMinute(long unixMinute) => $"codify:stats:m:{unixMinute}";

    /// <summary>Execution statistics of one hour (unix hours), written beside <see cref="StatsMinute"/>.</summary>
    public static string StatsHour(long unixHour) => $"codify:stats:h:{unixHour}";

    /// <summary>Sorted set of every execution id, scored by creation time (unix ms): newest-first listing and paging.</summary>
    public const string ExecutionIndex = "codify:executions:index";

    /// <summary>The same index, per language, so a language filter does not scan other languages' records.</summary>
    public static string ExecutionIndexFor(string language) => $"codify:executions:index:{language}";

    /// <summary>
    /// Pub/sub channel on which every execution's end is announced (its <c>completed</c> event, see <see cref="ExecutionEndedScript"/>):
    /// each API replica holds one subscription to it for all the requests waiting for an end.
    /// </summary>
    public const string EndedChannel = "codify:executions:ended";

    /// <summary>Pub/sub channel carrying the id of a running execution to kill; the replica running it kills its cgroup.</summary>
    public const string CancelChannel = "codify:cancel";

    /// <summary>Stream of callback deliveries to make (see <see cref="CallbackQueueScript"/>); each entry carries only the execution id.</summary>
    public const string CallbackStream = "codify:callbacks";

    /// <summary>Consumer group every API replica reads <see cref="CallbackStream"/> with: one replica delivers each callback.</summary>
    public const string CallbackGroup = "api";

    /// <summary>Pub/sub channel poked when a callback is queued, so an idle dispatcher reads at once instead of at its next poll.</summary>
    public const string CallbacksAvailableChannel = "codify:callbacks:available";

    /// <summary>Hash of the installed runtimes, written by the Sandbox at start-up: field = language name, value = <see cref="RuntimeInfo"/> JSON.</summary>
    public const string Runtimes = "codify:runtimes";

    /// <summary>Hash holding one execution record (see <see cref="ExecutionFields"/>).</summary>
    public static string Execution(string id) => $"codify:execution:{id}";

    /// <summary>Pub/sub channel of one execution's events.</summary>
    public static string Events(string id) => $"codify:events:{id}";

    /// <summary>Capped stream logging every event of one execution in order (see <see cref="EventLogScript"/>), for replay to late subscribers.</summary>
    public static string EventsLog(string id) => $"codify:events-log:{id}";

    /// <summary>Stream of standard-input chunks sent to one interactive execution (see <see cref="StdinScript"/>), in order.</summary>
    public static string Stdin(string id) => $"codify:stdin:{id}";

    /// <summary>Pub/sub channel poked when a chunk is added to <see cref="Stdin"/>, so the running program gets it at once.</summary>
    public static string StdinAvailable(string id) => $"codify:stdin-available:{id}";

    /// <summary>Hash of one session (see <see cref="Sessions.SessionFields"/>).</summary>
    public static string Session(string id) => $"codify:session:{id}";

    /// <summary>Set of one client's session ids (open ones count against Sessions:MaxSessionsPerClient).</summary>
    public static string ClientSessions(string client) => $"codify:sessions:client:{client}";

    /// <summary>Set of the open session ids held by one Sandbox replica (ended ones leave it): what to end if that replica dies.</summary>
    public static string ReplicaSessions(string replica) => $"codify:sessions:replica:{replica}";

    /// <summary>Set of the Sandbox replicas that hold (or held) sessions, for the API's sweep of sessions on dead replicas.</summary>
    public const string SessionReplicas = "codify:sessions:replicas";

    /// <summary>
    /// Stream of one Sandbox replica's session work: its sessions' cells (entries with <see cref="JobFields.ExecutionId"/>)
    /// and requests (entries with <see cref="JobFields.SessionRequest"/>). A session lives on one replica: only it reads this.
    /// </summary>
    public static string SessionRequests(string replica) => $"codify:session-requests:{replica}";

    /// <summary>Consumer group of <see cref="SessionRequests"/> (one consumer: the replica itself).</summary>
    public const string SessionGroup = "replica";

    /// <summary>Pub/sub channel poked after an entry is added to <see cref="SessionRequests"/> of that replica.</summary>
    public static string SessionRequestsAvailable(string replica) => $"codify:session-requests-available:{replica}";

    /// <summary>Key (short TTL) holding the <see cref="Sessions.SessionReply"/> to one request; a publish on the same name announces it.</summary>
    public static string SessionReply(string requestId) => $"codify:session-reply:{requestId}";
}

/// <summary>Field names of the execution hash.</summary>
public static class ExecutionFields
{
    public const string Status = "status";
    public const string Language = "language";
    public const string Spec = "spec";
    public const string Result = "result";
    public const string CreatedAt = "createdAt";
    public const string StartedAt = "startedAt";
    public const string CompletedAt = "completedAt";
    public const string Worker = "worker";

    /// <summary>When a cancel of the running execution was asked for (ISO time); a worker that missed the message honours it.</summary>
    public const string CancelRequested = "cancelRequested";

    /// <summary>Where the final record is POSTed; present only when the request asked for a callback.</summary>
    public const string CallbackUrl = "callbackUrl";

    /// <summary>The callback's outcome once settled: <c>delivered</c> or <c>failed</c>.</summary>
    public const string CallbackStatus = "callbackStatus";

    /// <summary>The sequence number of the execution's last logged event (see <see cref="EventLogScript"/>).</summary>
    public const string EventSequence = "eventSeq";

    /// <summary>"1" when the program's standard input stays open for <see cref="RedisKeys.Stdin"/> chunks.</summary>
    public const string Interactive = "interactive";

    /// <summary>Bytes of standard input sent so far to an interactive execution (bounded by the stdin size limit).</summary>
    public const string StdinBytes = "stdinBytes";

    /// <summary>Set once the client closed an interactive execution's standard input: nothing more is accepted.</summary>
    public const string StdinClosed = "stdinClosed";

    /// <summary>The session this execution is a cell of (absent for one-shot executions).</summary>
    public const string SessionId = "session";
}

/// <summary>Field names of a job stream entry.</summary>
public static class JobFields
{
    public const string ExecutionId = "id";
    public const string TraceParent = "traceparent";

    /// <summary>On a replica's session stream: a <see cref="Sessions.SessionRequest"/> as JSON (instead of an execution id).</summary>
    public const string SessionRequest = "request";
}
