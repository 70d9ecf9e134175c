using System.Globalization;
using System.Text.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Executions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Expiry;

/// <summary>
/// Nothing waits forever: a job still in the stream after <see cref="QueueExpiryOptions.MaxQueueWaitSeconds"/> whose
/// record is still <c>queued</c> ends <c>internal_error</c> with a message saying so (the Sandbox's start script refuses
/// a record that is no longer queued); one still <c>running</c> on a replica whose heartbeat stopped (no survivor took it
/// over) ends <c>internal_error</c>, "sandbox worker lost". Every API replica runs this; one atomic script per job makes the first one win
/// and the others find it ended. Entries whose record has ended are dropped from the stream.
/// </summary>
public sealed partial class QueueExpiry(
    IConnectionMultiplexer redis, IOptions<QueueExpiryOptions> options, IOptions<ExecutionOptions> executions, TimeProvider time,
    ILogger<QueueExpiry> logger) : BackgroundService
{
    private const int Batch = 200;

    private static readonly string ExpireScript = $"""
        local status = redis.call('HGET', KEYS[1], 'status')
        local result = ARGV[1]
        if status == 'running' then
          local beat = redis.call('ZSCORE', KEYS[8], redis.call('HGET', KEYS[1], 'worker') or '')
          if not beat or tonumber(beat) < tonumber(ARGV[7]) then
            status = 'queued'
            result = ARGV[8]
          end
        end
        if status == 'queued' then
          redis.call('HSET', KEYS[1], 'status', 'internal_error', 'result', result, 'completedAt', ARGV[2])
          {EventLogScript.Append("KEYS[1]", "KEYS[3]", "KEYS[2]", "ARGV[3]")}
          {ExecutionEndedScript.Announce("ARGV[3]")}
          {CallbackQueueScript.EnqueueIfRequested("KEYS[1]", "KEYS[4]", "ARGV[4]")}
          {ExecutionStatsScript.Record("KEYS[1]", "KEYS[5]", "KEYS[6]", "'internal_error'", "''")}
          status = 'expired'
        end
        if status ~= 'running' then
          redis.call('XACK', KEYS[7], ARGV[6], ARGV[5])
          redis.call('XDEL', KEYS[7], ARGV[5])
        end
        return status
        """;

    /// <summary>The message of an execution that no sandbox took in time.</summary>
    public static string Message(int seconds) =>
        $"no sandbox started it within {seconds} s (Executions:MaxQueueWaitSeconds); it never ran";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ExpireOverdueAsync();
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogRedisUnavailable(logger, e);
            }
        }
    }

    /// <summary>Ends every overdue queued job in one pass; returns how many this replica ended.</summary>
    public async Task<int> ExpireOverdueAsync()
    {
        var seconds = options.Value.MaxQueueWaitSeconds;
        var now = time.GetUtcNow();
        // Stream ids start with their entry's creation time in ms: everything below the cutoff has waited too long.
        var cutoff = $"({(now.ToUnixTimeMilliseconds() - (seconds * 1000L)).ToString(CultureInfo.InvariantCulture)}";
        var db = redis.GetDatabase();
        var overdue = await db.StreamRangeAsync(RedisKeys.JobStream, "-", cutoff, Batch);
        var result = JsonSerializer.Serialize(ExecutionResult.InternalError(Message(seconds)), CodifyJson.Options);
        var lost = JsonSerializer.Serialize(ExecutionResult.InternalError(LostWorker.Message), CodifyJson.Options);
        var freshSince = now.AddSeconds(-executions.Value.SandboxHeartbeatTimeoutSeconds).ToUnixTimeMilliseconds();
        var stats = ExecutionStatsScript.KeysAt(now);
        var expired = 0;
        foreach (var entry in overdue)
        {
            var id = (string?)entry[JobFields.ExecutionId] ?? "";
            var completed = new ExecutionEvent(ExecutionEventType.Completed, id, ExecutionStatus.InternalError);
            var outcome = (string?)await db.ScriptEvaluateAsync(ExpireScript,
                [RedisKeys.Execution(id), RedisKeys.Events(id), RedisKeys.EventsLog(id), RedisKeys.CallbackStream, stats.Minute, stats.Hour, RedisKeys.JobStream,
                    RedisKeys.SandboxesSeen],
                [result, now.ToString("O"), JsonSerializer.Serialize(completed, CodifyJson.Options), id, entry.Id, RedisKeys.SandboxGroup,
                    freshSince, lost]);
            if (outcome == "expired")
            {
                expired++;
                LogExpired(logger, id, seconds);
            }
        }

        return expired;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId} ended: no sandbox started it within {Seconds} s")]
    private static partial void LogExpired(ILogger logger, string executionId, int seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable while looking for overdue queued executions; retrying")]
    private static partial void LogRedisUnavailable(ILogger logger, Exception exception);
}
