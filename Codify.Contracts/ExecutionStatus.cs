using System.Text.Json.Serialization;

namespace Codify.Contracts;

/// <summary>One taxonomy for every execution, on the wire as snake_case.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<ExecutionStatus>))]
public enum ExecutionStatus
{
    Queued,
    Running,
    Completed,
    Accepted,
    WrongAnswer,
    RuntimeError,
    TimeLimitExceeded,
    MemoryLimitExceeded,
    OutputLimitExceeded,
    Cancelled,
    InternalError,
}

public static class ExecutionStatusExtensions
{
    public static bool IsTerminal(this ExecutionStatus status) =>
        status is not (ExecutionStatus.Queued or ExecutionStatus.Running);

    /// <summary>The snake_case name stored in Redis and sent on the wire.</summary>
    public static string ToWire(this ExecutionStatus status) =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    public static ExecutionStatus ParseWire(string value) =>
        Enum.Parse<ExecutionStatus>(value.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);
}
