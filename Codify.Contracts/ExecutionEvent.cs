using System.Text.Json.Serialization;

namespace Codify.Contracts;

[JsonConverter(typeof(SnakeCaseEnumConverter<ExecutionEventType>))]
public enum ExecutionEventType
{
    Queued,
    Started,
    Stdout,
    Stderr,
    Completed,
}

/// <summary>One event of an execution, published on <see cref="RedisKeys.Events"/>.</summary>
public sealed record ExecutionEvent(ExecutionEventType Type, string ExecutionId, ExecutionStatus? Status = null);
