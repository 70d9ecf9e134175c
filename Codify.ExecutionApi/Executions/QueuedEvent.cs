using System.Text.Json;
using Codify.Contracts;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Executions;

/// <summary>
/// The first event of every execution, written in the MULTI that creates its record: sequence 1, so the record's
/// counter (<see cref="ExecutionFields.EventSequence"/>) starts at 1 and every later event goes through <see cref="EventLogScript"/>.
/// </summary>
public static class QueuedEvent
{
    public static void Add(ITransaction transaction, string id, TimeSpan retention)
    {
        var queued = JsonSerializer.Serialize(
            new ExecutionEvent(ExecutionEventType.Queued, id, ExecutionStatus.Queued) { Sequence = 1 }, CodifyJson.Options);
        var log = RedisKeys.EventsLog(id);
        _ = transaction.HashSetAsync(RedisKeys.Execution(id), ExecutionFields.EventSequence, 1);
        _ = transaction.StreamAddAsync(log,
            [new(EventLogScript.SequenceField, 1), new(EventLogScript.EventField, queued)],
            maxLength: EventLogScript.MaxEntries, useApproximateMaxLength: true);
        _ = transaction.KeyExpireAsync(log, retention);
        _ = transaction.PublishAsync(RedisChannel.Literal(RedisKeys.Events(id)), queued);
    }
}
