namespace Codify.Contracts;

/// <summary>
/// Lua shared by every script that emits an execution event: the next sequence number comes from the record
/// (<see cref="ExecutionFields.EventSequence"/>), the event is appended to the capped <see cref="RedisKeys.EventsLog"/>
/// (expiring with the record) and published on <see cref="RedisKeys.Events"/>, all atomically, so sequences have no gap.
/// </summary>
public static class EventLogScript
{
    /// <summary>Roughly how many events one execution's log keeps (XADD MAXLEN ~): the output budget bounds it anyway.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>Field of a log entry holding the sequence number.</summary>
    public const string SequenceField = "seq";

    /// <summary>Field of a log entry holding the event JSON (with its sequence).</summary>
    public const string EventField = "event";

    /// <summary>
    /// The snippet to embed. Each argument is a Lua expression: the record's key, the log's key, the channel's key and
    /// the event JSON (an object serialized without its sequence, which the snippet inserts as its first property).
    /// </summary>
    public static string Append(string recordKey, string logKey, string channelKey, string eventJson) =>
        Append(recordKey, logKey, channelKey, eventJson, eventJson);

    /// <summary>
    /// As above, but publishes <paramref name="publishedJson"/> (the same event with more in it, such as the final
    /// record on a <c>completed</c> event, so a waiting API need not read it back) while the log keeps the smaller
    /// <paramref name="eventJson"/>.
    /// </summary>
    public static string Append(string recordKey, string logKey, string channelKey, string eventJson, string publishedJson)
    {
        var published = publishedJson == eventJson ? "ev" : $"'{{\"sequence\":' .. seq .. ',' .. string.sub({publishedJson}, 2)";
        return $"""
            do
              local seq = redis.call('HINCRBY', {recordKey}, '{ExecutionFields.EventSequence}', 1)
              local ev = '{"{"}"sequence":' .. seq .. ',' .. string.sub({eventJson}, 2)
              redis.call('XADD', {logKey}, 'MAXLEN', '~', {MaxEntries}, '*', '{SequenceField}', seq, '{EventField}', ev)
              local ttl = redis.call('PTTL', {recordKey})
              if ttl > 0 then redis.call('PEXPIRE', {logKey}, ttl) end
              redis.call('PUBLISH', {channelKey}, {published})
            end
            """;
    }
}
