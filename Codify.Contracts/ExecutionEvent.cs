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

/// <summary>
/// One event of an execution, published on <see cref="RedisKeys.Events"/> and logged on <see cref="RedisKeys.EventsLog"/>.
/// <see cref="Sequence"/> is set by Redis when the event is logged (1, 2, 3… per execution, no gap); <see cref="Data"/>
/// is the text of a <c>stdout</c>/<c>stderr</c> chunk; <see cref="Record"/> is the final record of a <c>completed</c>
/// event (filled in by the API when it streams the event).
/// </summary>
public sealed record ExecutionEvent(ExecutionEventType Type, string ExecutionId, ExecutionStatus? Status = null)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Sequence { get; init; }

    public string? Data { get; init; }

    public ExecutionRecord? Record { get; init; }
}
