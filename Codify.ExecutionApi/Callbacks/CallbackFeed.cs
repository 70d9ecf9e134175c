using Codify.Contracts;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Callbacks;

/// <summary>This replica's view of the callback stream: the "api" consumer group, new entries, stale entries of dead replicas.</summary>
public sealed class CallbackFeed(IConnectionMultiplexer redis, IOptions<CallbackOptions> options)
{
    // Only on a record that still exists: an HSET on an expired key would recreate it without a TTL.
    private const string SettleScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    private string Consumer => options.Value.ConsumerName;

    public async Task EnsureGroupAsync()
    {
        try
        {
            await Db.StreamCreateConsumerGroupAsync(RedisKeys.CallbackStream, RedisKeys.CallbackGroup, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another replica created it first.
        }
    }

    /// <summary>One entry never delivered to any replica, or null.</summary>
    public async Task<StreamEntry?> ReadNewAsync()
    {
        var entries = await Db.StreamReadGroupAsync(RedisKeys.CallbackStream, RedisKeys.CallbackGroup, Consumer, StreamPosition.NewMessages, count: 1);
        return entries.Length == 0 ? null : entries[0];
    }

    /// <summary>One entry another replica took and left untouched for the reclaim idle time (it died), claimed for this replica.</summary>
    public async Task<StreamEntry?> ClaimStaleAsync()
    {
        var idleMs = options.Value.ReclaimIdleSeconds * 1000L;
        var claimed = await Db.StreamAutoClaimAsync(RedisKeys.CallbackStream, RedisKeys.CallbackGroup, Consumer, idleMs, "0-0", count: 1);
        return claimed.ClaimedEntries.Where(e => e.Values is { Length: > 0 }).Cast<StreamEntry?>().FirstOrDefault();
    }

    /// <summary>The callback URL and, if a delivery already settled (a reclaim after the POST), its outcome.</summary>
    public async Task<(string? Url, string? Status)> LoadAsync(string id)
    {
        var fields = await Db.HashGetAsync(RedisKeys.Execution(id), [ExecutionFields.CallbackUrl, ExecutionFields.CallbackStatus]);
        return (fields[0].IsNullOrEmpty ? null : fields[0].ToString(), fields[1].IsNullOrEmpty ? null : fields[1].ToString());
    }

    public Task SettleAsync(string id, string status) =>
        Db.ScriptEvaluateAsync(SettleScript, [RedisKeys.Execution(id)], [ExecutionFields.CallbackStatus, status]);

    /// <summary>Acknowledges and deletes a handled entry: the record holds the outcome, the stream stays short.</summary>
    public async Task CompleteAsync(RedisValue entryId)
    {
        await Db.StreamAcknowledgeAsync(RedisKeys.CallbackStream, RedisKeys.CallbackGroup, entryId);
        await Db.StreamDeleteAsync(RedisKeys.CallbackStream, [entryId]);
    }
}
