using Codify.Contracts;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.Sandbox.Jobs;

/// <summary>This replica's view of the job stream: its consumer group, new entries, stale entries of dead workers.</summary>
public sealed class JobFeed(IConnectionMultiplexer redis, IOptions<SandboxOptions> options)
{
    private IDatabase Db => redis.GetDatabase();

    private string Consumer => options.Value.ConsumerName;

    public async Task EnsureGroupAsync()
    {
        try
        {
            await Db.StreamCreateConsumerGroupAsync(RedisKeys.JobStream, RedisKeys.SandboxGroup, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another replica created it first.
        }
    }

    /// <summary>One entry never delivered to any consumer, or null.</summary>
    public async Task<StreamEntry?> ReadNewAsync()
    {
        var entries = await Db.StreamReadGroupAsync(RedisKeys.JobStream, RedisKeys.SandboxGroup, Consumer, StreamPosition.NewMessages, count: 1);
        return entries.Length == 0 ? null : entries[0];
    }

    /// <summary>One entry whose consumer has not touched it for the reclaim idle time (its worker died), claimed for this replica.</summary>
    public async Task<StreamEntry?> ClaimStaleAsync()
    {
        var idleMs = options.Value.ReclaimIdleSeconds * 1000L;
        var claimed = await Db.StreamAutoClaimAsync(RedisKeys.JobStream, RedisKeys.SandboxGroup, Consumer, idleMs, "0-0", count: 1);
        // Entries deleted meanwhile come back without values: only real entries count.
        foreach (var entry in claimed.ClaimedEntries)
        {
            if (entry.Values is { Length: > 0 })
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>Resets the idle time of entries this replica is running, so nobody reclaims a live job.</summary>
    public Task TouchAsync(RedisValue[] entryIds) =>
        entryIds.Length == 0
            ? Task.CompletedTask
            : Db.StreamClaimIdsOnlyAsync(RedisKeys.JobStream, RedisKeys.SandboxGroup, Consumer, 0, entryIds);

    /// <summary>Acknowledges and deletes a handled entry: the record in Redis is the history, the stream stays short.</summary>
    public async Task CompleteAsync(RedisValue entryId)
    {
        await Db.StreamAcknowledgeAsync(RedisKeys.JobStream, RedisKeys.SandboxGroup, entryId);
        await Db.StreamDeleteAsync(RedisKeys.JobStream, [entryId]);
    }
}
