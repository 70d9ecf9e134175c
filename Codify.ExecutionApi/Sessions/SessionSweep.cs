using Codify.Contracts;
using Codify.Contracts.Sessions;
using Codify.ExecutionApi.Executions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Sessions;

/// <summary>
/// Nothing of a dead replica's sessions is left waiting to be touched: every few seconds each API replica looks at the
/// replicas that hold sessions, and ends the sessions of one whose heartbeat stopped ("sandbox replica lost") with the cell
/// each was running. Without it a client's sessions on a crashed replica would count against its cap, and a cell sent with
/// wait=false would stay running, until someone asked for that very session. Once the registry has forgotten the replica,
/// its session stream goes too.
/// </summary>
public sealed partial class SessionSweep(
    IConnectionMultiplexer redis, SessionStore store, IOptions<SessionOptions> options, IOptions<ExecutionOptions> executions,
    TimeProvider time, ILogger<SessionSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SweepIntervalSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogRedisUnavailable(logger, e);
            }
        }
    }

    /// <summary>One pass; returns how many sessions it ended.</summary>
    public async Task<int> SweepAsync()
    {
        var db = redis.GetDatabase();
        var ended = 0;
        foreach (var replica in (await db.SetMembersAsync(RedisKeys.SessionReplicas)).Select(r => r.ToString()))
        {
            if (await store.ReplicaAliveAsync(replica, executions.Value.SandboxHeartbeatTimeoutSeconds))
            {
                continue;
            }

            var held = RedisKeys.ReplicaSessions(replica);
            foreach (var id in (await db.SetMembersAsync(held)).Select(s => s.ToString()))
            {
                // The set may name a session that moved to another replica or ended: the record decides.
                if (await store.GetAsync(id) is { Info.Status: not SessionStatus.Ended } session && session.Replica == replica)
                {
                    await store.EndWithLostReplicaAsync(id, session.Cell);
                    ended++;
                }

                await db.SetRemoveAsync(held, id);
            }

            // Replica ids are per process life, so one gone from the registry (withdrawn, or silent past
            // Sandbox:Registration:ForgetAfterSeconds) never reads its session stream again; one merely late might.
            if (await db.SetLengthAsync(held) == 0 && await db.SortedSetScoreAsync(RedisKeys.SandboxesSeen, replica) is null)
            {
                await db.KeyDeleteAsync(RedisKeys.SessionRequests(replica));
                await db.SetRemoveAsync(RedisKeys.SessionReplicas, replica);
            }
        }

        if (ended > 0)
        {
            LogEnded(logger, ended);
        }

        return ended;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ended {Count} session(s) whose sandbox replica stopped sending heartbeats")]
    private static partial void LogEnded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The session sweep could not reach Redis; it tries again at its next tick")]
    private static partial void LogRedisUnavailable(ILogger logger, Exception exception);
}
