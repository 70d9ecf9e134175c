using StackExchange.Redis;

namespace Codify.Hosting;

/// <summary>Where one consumer reads: the stream, its consumer group, this process's consumer name, and when a pending entry counts as abandoned.</summary>
/// <param name="Stream">The stream's key.</param>
/// <param name="Group">The consumer group: each entry goes to one of its consumers.</param>
/// <param name="Name">This process's consumer name, unique per process so a restarted one's entries are reclaimed.</param>
/// <param name="ReclaimIdle">A pending entry untouched this long belongs to a dead consumer and is claimed by another.</param>
public sealed record ConsumerGroupMember(string Stream, string Group, string Name, TimeSpan ReclaimIdle);

/// <summary>
/// One consumer's view of a Redis stream read by a consumer group: new entries (XREADGROUP), entries a dead consumer left
/// pending (XAUTOCLAIM), keeping live entries from being reclaimed, and acknowledging handled ones. Each entry is handled by
/// one consumer of the group, and no entry is lost with a consumer that dies holding it.
/// </summary>
public class StreamConsumerGroup(IConnectionMultiplexer redis, ConsumerGroupMember member)
{
    protected IDatabase Db => redis.GetDatabase();

    public ConsumerGroupMember Member { get; } = member;

    public async Task EnsureGroupAsync()
    {
        try
        {
            await Db.StreamCreateConsumerGroupAsync(Member.Stream, Member.Group, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another replica created it first.
        }
    }

    /// <summary>One entry never delivered to any consumer of the group, or null.</summary>
    public async Task<StreamEntry?> ReadNewAsync()
    {
        var entries = await Db.StreamReadGroupAsync(Member.Stream, Member.Group, Member.Name, StreamPosition.NewMessages, count: 1);
        return entries.Length == 0 ? null : entries[0];
    }

    /// <summary>One entry whose consumer has not touched it for the reclaim idle time (it died), claimed for this one.</summary>
    public async Task<StreamEntry?> ClaimStaleAsync()
    {
        var claimed = await Db.StreamAutoClaimAsync(Member.Stream, Member.Group, Member.Name, (long)Member.ReclaimIdle.TotalMilliseconds, "0-0", count: 1);
        // Entries deleted meanwhile come back without values: only real entries count.
        return claimed.ClaimedEntries.Where(e => e.Values is { Length: > 0 }).Cast<StreamEntry?>().FirstOrDefault();
    }

    /// <summary>Resets the idle time of entries this consumer is still handling, so nobody reclaims a live one.</summary>
    public Task TouchAsync(RedisValue[] entryIds) =>
        entryIds.Length == 0
            ? Task.CompletedTask
            : Db.StreamClaimIdsOnlyAsync(Member.Stream, Member.Group, Member.Name, 0, entryIds);

    /// <summary>Acknowledges and deletes a handled entry: the record in Redis is the history, the stream stays short.</summary>
    /// Both are sent at once (pipelined on the one connection, in order): one round trip instead of two.
    public Task CompleteAsync(RedisValue entryId) => Task.WhenAll(
        Db.StreamAcknowledgeAsync(Member.Stream, Member.Group, entryId),
        Db.StreamDeleteAsync(Member.Stream, [entryId]));
}
