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

    /// <summary>Hash of the installed runtimes, written by the Sandbox at start-up: field = language name, value = <see cref="RuntimeInfo"/> JSON.</summary>
    public const string Runtimes = "codify:runtimes";

    /// <summary>Hash holding one execution record (see <see cref="ExecutionFields"/>).</summary>
    public static string Execution(string id) => $"codify:execution:{id}";

    /// <summary>Pub/sub channel of one execution's events.</summary>
    public static string Events(string id) => $"codify:events:{id}";
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
}

/// <summary>Field names of a job stream entry.</summary>
public static class JobFields
{
    public const string ExecutionId = "id";
    public const string TraceParent = "traceparent";
}
