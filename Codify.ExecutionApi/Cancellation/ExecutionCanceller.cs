using System.Text.Json;
using Codify.Contracts;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Cancellation;

/// <summary>What the cancel script found: the record's status before it acted, or that there is no record.</summary>
public enum CancelOutcome
{
    NotFound,

    /// <summary>It was queued: it is now cancelled and will never run.</summary>
    CancelledWhileQueued,

    /// <summary>It is running: the replica running it was asked to kill it.</summary>
    KillRequested,

    /// <summary>It had already ended (cancelled or otherwise): left as it was.</summary>
    AlreadyFinished,
}

/// <summary>The API's side of a cancel: one atomic step on the record, whatever state it is in.</summary>
public sealed partial class ExecutionCanceller(IConnectionMultiplexer redis, TimeProvider time, ILogger<ExecutionCanceller> logger)
{
    public const string QueuedMessage = "cancelled before it started";

    // queued → cancelled, with its result and the same completed event the Sandbox publishes; the Sandbox's start
    // script refuses a record that is no longer queued. running → flag + kill request to every replica.
    // A cancelled record that asked for a callback gets it, like any other ended record.
    private static readonly string CancelScript = $"""
        local status = redis.call('HGET', KEYS[1], 'status')
        if not status then return 'missing' end
        if status == 'queued' then
          redis.call('HSET', KEYS[1], 'status', 'cancelled', 'result', ARGV[1], 'completedAt', ARGV[2])
          {EventLogScript.Append("KEYS[1]", "KEYS[5]", "KEYS[2]", "ARGV[3]")}
          {ExecutionEndedScript.Announce("ARGV[3]")}
          {CallbackQueueScript.EnqueueIfRequested("KEYS[1]", "KEYS[4]", "ARGV[4]")}
          {ExecutionStatsScript.Record("KEYS[1]", "KEYS[6]", "KEYS[7]", "'cancelled'", "''")}
        elseif status == 'running' then
          redis.call('HSET', KEYS[1], 'cancelRequested', ARGV[2])
          redis.call('PUBLISH', KEYS[3], ARGV[4])
        end
        return status
        """;

    private static readonly string QueuedResult = JsonSerializer.Serialize(
        new ExecutionResult { Status = ExecutionStatus.Cancelled, Message = QueuedMessage }, CodifyJson.Options);

    public async Task<CancelOutcome> CancelAsync(string id)
    {
        var completed = new ExecutionEvent(ExecutionEventType.Completed, id, ExecutionStatus.Cancelled);
        var now = time.GetUtcNow();
        var stats = ExecutionStatsScript.KeysAt(now);
        var before = (string?)await redis.GetDatabase().ScriptEvaluateAsync(CancelScript,
            [RedisKeys.Execution(id), RedisKeys.Events(id), RedisKeys.CancelChannel, RedisKeys.CallbackStream, RedisKeys.EventsLog(id),
                stats.Minute, stats.Hour],
            [QueuedResult, now.ToString("O"), JsonSerializer.Serialize(completed, CodifyJson.Options), id]);
        return before switch
        {
            "missing" or null => CancelOutcome.NotFound,
            "queued" => CancelOutcome.CancelledWhileQueued,
            "running" => CancelOutcome.KillRequested,
            _ => CancelOutcome.AlreadyFinished,
        };
    }

    /// <summary>
    /// Cancels a run whose WebSocket (the only way to read or feed it) has closed, so it does not hold a sandbox till its
    /// time limit for nobody. Redis failing is logged, not thrown: the connection is gone already.
    /// </summary>
    public async Task CancelAbandonedAsync(string id, string client)
    {
        try
        {
            if (await CancelAsync(id) is CancelOutcome.CancelledWhileQueued or CancelOutcome.KillRequested)
            {
                LogCancelledOnDisconnect(logger, id, client);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogCancelFailed(logger, id, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} cancelled: the WebSocket of {Client} that started it closed")]
    private static partial void LogCancelledOnDisconnect(ILogger logger, string executionId, string client);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId} could not be cancelled after its WebSocket closed")]
    private static partial void LogCancelFailed(ILogger logger, string executionId, Exception exception);
}
