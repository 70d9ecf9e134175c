using System.Text.Json;
using Codify.Contracts;
using StackExchange.Redis;

namespace Codify.Sandbox.Jobs;

/// <summary>The Sandbox's side of an execution record: guarded status transitions, each atomic in Redis.</summary>
public sealed class ExecutionRepository(IConnectionMultiplexer redis, TimeProvider time)
{
    // An output chunk, only while the record is running: logged and published in the record's event sequence.
    private static readonly string OutputScript = $"""
        if redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
        {EventLogScript.Append("KEYS[1]", "KEYS[3]", "KEYS[2]", "ARGV[1]")}
        return 1
        """;

    // running → terminal, only by the worker that started it (a reclaimed record is not overwritten by a late zombie).
    // A requested callback is queued in the same script: an ended record never misses (or doubles) its delivery.
    // The same goes for its count in the execution statistics.
    private static readonly string FinishScript = $"""
        if redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
        if ARGV[5] ~= '' and redis.call('HGET', KEYS[1], 'worker') ~= ARGV[5] then return 0 end
        redis.call('HSET', KEYS[1], 'status', ARGV[1], 'result', ARGV[2], 'completedAt', ARGV[3])
        {EventLogScript.Append("KEYS[1]", "KEYS[4]", "KEYS[2]", "ARGV[4]", "ARGV[8]")}
        {ExecutionEndedScript.Announce("ARGV[8]")}
        {CallbackQueueScript.EnqueueIfRequested("KEYS[1]", "KEYS[3]", "ARGV[6]")}
        {ExecutionStatsScript.Record("KEYS[1]", "KEYS[5]", "KEYS[6]", "ARGV[1]", "ARGV[7]")}
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>
    /// Reads the record and, if it is queued and <paramref name="mayStart"/>, starts it (queued → running) with
    /// <paramref name="startedAt"/> recorded as given, so a caller measuring the queue wait matches the record.
    /// </summary>
    public async Task<ExecutionClaim> ClaimAsync(string id, string worker, DateTimeOffset startedAt, bool mayStart)
    {
        var started = new ExecutionEvent(ExecutionEventType.Started, id, ExecutionStatus.Running);
        return ExecutionClaim.Parse(await Db.ScriptEvaluateAsync(ExecutionClaim.Script,
            [RedisKeys.Execution(id), RedisKeys.Events(id), RedisKeys.EventsLog(id)],
            [startedAt.ToString("O"), worker, JsonSerializer.Serialize(started, CodifyJson.Options), mayStart ? "1" : "0"]));
    }

    /// <summary>Logs and publishes one output chunk; issued in call order on the shared connection, so chunks keep their order.</summary>
    public Task AppendOutputAsync(string id, ExecutionEventType type, string data) =>
        Db.ScriptEvaluateAsync(OutputScript,
            [RedisKeys.Execution(id), RedisKeys.Events(id), RedisKeys.EventsLog(id)],
            [JsonSerializer.Serialize(new ExecutionEvent(type, id) { Data = data }, CodifyJson.Options)]);

    /// <summary>
    /// running → terminal. Given what this replica knows of the run (<paramref name="run"/>), the published
    /// <c>completed</c> event carries the final record, the same as a read of it would return: a waiting request answers
    /// from the event instead of reading the record back.
    /// </summary>
    public Task<bool> TryFinishAsync(string id, string worker, ExecutionResult result, StartedRun? run = null) =>
        FinishAsync(id, worker, result, run);

    /// <summary>A record left running by a worker that died: it may have had side effects, so it is not rerun.</summary>
    public Task<bool> TryFailLostAsync(string id) =>
        FinishAsync(id, worker: "", ExecutionResult.InternalError(LostMessage), run: null);

    public const string LostMessage = LostWorker.Message;

    private async Task<bool> FinishAsync(string id, string worker, ExecutionResult result, StartedRun? run)
    {
        var now = time.GetUtcNow();
        var completed = new ExecutionEvent(ExecutionEventType.Completed, id, result.Status);
        var completedJson = JsonSerializer.Serialize(completed, CodifyJson.Options);
        var published = run is { CreatedAt: { } createdAt }
            ? JsonSerializer.Serialize(completed with
            {
                // The same record a read would give, a session cell's session id included.
                Record = ExecutionRecord.Create(id, result.Status, run.Language, createdAt, run.StartedAt, now, result) with { SessionId = run.SessionId },
            }, CodifyJson.Options)
            : completedJson;
        var stats = ExecutionStatsScript.KeysAt(now);
        var outcome = await Db.ScriptEvaluateAsync(FinishScript,
            [RedisKeys.Execution(id), RedisKeys.Events(id), RedisKeys.CallbackStream, RedisKeys.EventsLog(id), stats.Minute, stats.Hour],
            [result.Status.ToWire(), JsonSerializer.Serialize(result, CodifyJson.Options), now.ToString("O"),
                completedJson, worker, id, run is { ProgramRan: true } ? result.WallTimeMs : "", published]);
        return (int)outcome == 1;
    }

    /// <summary>
    /// What the replica that started a run knows of its record: enough to publish the final record whole, and whether its
    /// program ran (only then is its wall time a run duration in the statistics; 0 ms is one).
    /// </summary>
    public sealed record StartedRun(string Language, DateTimeOffset? CreatedAt, DateTimeOffset StartedAt, string? SessionId = null, bool ProgramRan = true);
}
