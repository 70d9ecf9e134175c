using System.Text.Json;
using Codify.Contracts;
using Codify.Sandbox.Jobs;
using Codify.Sandbox.Readiness;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.Sandbox.Registration;

/// <summary>
/// This replica's entry in the registry the API reads: at every heartbeat it publishes <see cref="SandboxReplicaInfo"/> and
/// its beat time, and is advertised in <see cref="RedisKeys.HealthySandboxes"/> only while it can isolate, all in one script.
/// The same script drops replicas silent for <see cref="RegistrationOptions.ForgetAfterSeconds"/>, so the registry stays small.
/// </summary>
public sealed class ReplicaRegistration(
    IConnectionMultiplexer redis,
    IsolationState isolation,
    InFlightJobs inFlight,
    RunningJobs running,
    ReplicaFacts facts,
    IOptions<SandboxOptions> options,
    IOptions<RegistrationOptions> registration,
    TimeProvider time)
{
    // KEYS: healthy set, seen set, info hash. ARGV: id, now (unix ms), info JSON, '1' when ready, forget-before (unix ms).
    private const string BeatScript = """
        redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
        redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
        if ARGV[4] == '1' then redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1]) else redis.call('ZREM', KEYS[1], ARGV[1]) end
        for _, gone in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[5])) do
          redis.call('HDEL', KEYS[3], gone)
          redis.call('ZREM', KEYS[2], gone)
          redis.call('ZREM', KEYS[1], gone)
        end
        local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[5])
        if #stale > 0 then redis.call('ZREM', KEYS[1], unpack(stale)) end
        return 1
        """;

    private static readonly RedisKey[] Keys = [RedisKeys.HealthySandboxes, RedisKeys.SandboxesSeen, RedisKeys.SandboxReplicas];

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    private string Id => options.Value.ConsumerName;

    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var info = await DescribeAsync(now, cancellationToken);
        var forgetBefore = now.AddSeconds(-registration.Value.ForgetAfterSeconds).ToUnixTimeMilliseconds();
        await redis.GetDatabase().ScriptEvaluateAsync(BeatScript, Keys,
            [Id, now.ToUnixTimeMilliseconds(), JsonSerializer.Serialize(info, CodifyJson.Options), info.Ready ? "1" : "0", forgetBefore]);
    }

    /// <summary>A replica that stops on purpose leaves the registry at once: it is gone, not unhealthy.</summary>
    public async Task WithdrawAsync()
    {
        var db = redis.GetDatabase();
        var transaction = db.CreateTransaction();
        _ = transaction.SortedSetRemoveAsync(RedisKeys.HealthySandboxes, Id);
        _ = transaction.SortedSetRemoveAsync(RedisKeys.SandboxesSeen, Id);
        _ = transaction.HashDeleteAsync(RedisKeys.SandboxReplicas, Id);
        await transaction.ExecuteAsync();
    }

    public async Task<SandboxReplicaInfo> DescribeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var total = options.Value.MaxConcurrentExecutions;
        return new SandboxReplicaInfo
        {
            Id = Id,
            Host = Environment.MachineName,
            Ready = isolation.IsReady,
            Reason = isolation.Reason,
            SlotsTotal = total,
            SlotsFree = Math.Max(0, total - inFlight.Count),
            Running = running.Ids.Count,
            Isolation = await facts.IsolationAsync(cancellationToken),
            Runtimes = facts.Runtimes(),
            StartedAt = StartedAt,
            LastBeat = now,
        };
    }
}
