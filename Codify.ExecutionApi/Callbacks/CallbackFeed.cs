using Codify.Contracts;
using Codify.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Callbacks;

/// <summary>
/// This replica's view of the callback stream: the "api" consumer group (new entries, stale entries of dead replicas,
/// completing delivered ones) and the delivery state kept on the execution's record.
/// </summary>
public sealed class CallbackFeed(IConnectionMultiplexer redis, IOptions<CallbackOptions> options) : StreamConsumerGroup(redis, new ConsumerGroupMember(
    RedisKeys.CallbackStream, RedisKeys.CallbackGroup, options.Value.ConsumerName, TimeSpan.FromSeconds(options.Value.ReclaimIdleSeconds)))
{
    // Only on a record that still exists: an HSET on an expired key would recreate it without a TTL.
    private const string SettleScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        return 1
        """;

    /// <summary>The callback URL and, if a delivery already settled (a reclaim after the POST), its outcome.</summary>
    public async Task<(string? Url, string? Status)> LoadAsync(string id)
    {
        var fields = await Db.HashGetAsync(RedisKeys.Execution(id), [ExecutionFields.CallbackUrl, ExecutionFields.CallbackStatus]);
        return (fields[0].IsNullOrEmpty ? null : fields[0].ToString(), fields[1].IsNullOrEmpty ? null : fields[1].ToString());
    }

    public Task SettleAsync(string id, string status) =>
        Db.ScriptEvaluateAsync(SettleScript, [RedisKeys.Execution(id)], [ExecutionFields.CallbackStatus, status]);
}
