using System.Globalization;
using System.Text.Json;
using Codify.Contracts;
using Codify.Contracts.Sessions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Sessions;

/// <summary>The API's side of session records in Redis: create under the client's cap, read, claim a cell, end.</summary>
public sealed class SessionStore(IConnectionMultiplexer redis, IOptions<SessionOptions> options, TimeProvider time)
{
    // The client's cap and the new record in one script: two racing creates cannot both take the last place.
    // Ids of sessions that ended (or expired from the store) leave the client's set as they are met.
    private const string CreateScript = """
        local open = 0
        for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
          local status = redis.call('HGET', ARGV[3] .. id, 'status')
          if not status or status == 'ended' then redis.call('SREM', KEYS[2], id) else open = open + 1 end
        end
        if open >= tonumber(ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], unpack(ARGV, 6))
        redis.call('EXPIRE', KEYS[1], ARGV[2])
        redis.call('SADD', KEYS[2], ARGV[4])
        redis.call('EXPIRE', KEYS[2], ARGV[2])
        redis.call('SADD', KEYS[3] .. ARGV[5], ARGV[4])
        redis.call('EXPIRE', KEYS[3] .. ARGV[5], ARGV[2])
        redis.call('SADD', KEYS[4], ARGV[5])
        return 1
        """;

    // A replica's set of open sessions: what the sweep ends if that replica dies (see SessionSweep).
    private const string MoveScript = """
        redis.call('HSET', KEYS[1], 'replica', ARGV[1])
        redis.call('SADD', KEYS[2] .. ARGV[1], ARGV[2])
        redis.call('SADD', KEYS[3], ARGV[1])
        return 1
        """;

    // One cell at a time: taken only when ready and no cell holds it (a holder past its deadline has lost it).
    private const string ClaimScript = """
        local status = redis.call('HGET', KEYS[1], 'status')
        if status ~= 'ready' then return status or 'missing' end
        local holder = tonumber(redis.call('HGET', KEYS[1], 'cellUntil') or '0')
        if holder > tonumber(ARGV[1]) then return 'busy' end
        redis.call('HSET', KEYS[1], 'cell', ARGV[2], 'cellUntil', ARGV[3])
        return 'ok'
        """;

    // Gives the claim back only if it is still this one's (the replica may already have cleared it).
    private const string ReleaseScript = """
        if redis.call('HGET', KEYS[1], 'cell') == ARGV[1] then redis.call('HDEL', KEYS[1], 'cell', 'cellUntil') end
        return 1
        """;


    // A cell whose replica died: ended internal_error like any execution of a lost worker (the event and statistics too).
    private static readonly string FailCellScript = $"""
        local status = redis.call('HGET', KEYS[1], 'status')
        if status ~= 'queued' and status ~= 'running' then return 0 end
        redis.call('HSET', KEYS[1], 'status', 'internal_error', 'result', ARGV[1], 'completedAt', ARGV[2])
        {EventLogScript.Append("KEYS[1]", "KEYS[3]", "KEYS[2]", "ARGV[3]")}
        {ExecutionEndedScript.Announce("ARGV[3]")}
        {ExecutionStatsScript.Record("KEYS[1]", "KEYS[4]", "KEYS[5]", "'internal_error'", "''")}
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>Ends a cell left queued or running by a replica that died; the result says the session ended with it.</summary>
    public async Task FailLostCellAsync(string executionId, string sessionEnded)
    {
        var now = time.GetUtcNow();
        var result = ExecutionResult.InternalError(LostWorker.Message) with { SessionEnded = sessionEnded };
        var completed = new ExecutionEvent(ExecutionEventType.Completed, executionId, ExecutionStatus.InternalError);
        var stats = ExecutionStatsScript.KeysAt(now);
        await Db.ScriptEvaluateAsync(FailCellScript,
            [RedisKeys.Execution(executionId), RedisKeys.Events(executionId), RedisKeys.EventsLog(executionId), stats.Minute, stats.Hour],
            [JsonSerializer.Serialize(result, CodifyJson.Options), now.ToString("O"), JsonSerializer.Serialize(completed, CodifyJson.Options)]);
    }

    /// <summary>Writes a new <c>starting</c> session; false when <paramref name="client"/> already holds its maximum.</summary>
    public async Task<bool> TryCreateAsync(SessionInfo session, string client, string replica)
    {
        var lifetime = (long)(session.ExpiresAt - time.GetUtcNow()).TotalSeconds + options.Value.RetentionSeconds;
        RedisValue[] fields =
        [
            SessionFields.Status, session.Status.ToWire(), SessionFields.Language, session.Language,
            SessionFields.Limits, JsonSerializer.Serialize(session.Limits, CodifyJson.Options), SessionFields.Client, client,
            SessionFields.CreatedAt, session.CreatedAt.ToString("O"), SessionFields.ExpiresAt, session.ExpiresAt.ToString("O"),
            SessionFields.IdleTimeoutSeconds, session.IdleTimeoutSeconds, SessionFields.LastActivityAt, session.CreatedAt.ToString("O"),
            SessionFields.Replica, replica, SessionFields.Cells, 0,
        ];
        var created = await Db.ScriptEvaluateAsync(CreateScript,
            [RedisKeys.Session(session.Id), RedisKeys.ClientSessions(client), RedisKeys.ReplicaSessions(""), RedisKeys.SessionReplicas],
            [options.Value.MaxSessionsPerClient, lifetime, RedisKeys.Session(""), session.Id, replica, .. fields]);
        return (int)created == 1;
    }

    /// <summary>Points the session at another replica (a start the first one had no room for).</summary>
    public Task MoveAsync(string id, string replica) =>
        Db.ScriptEvaluateAsync(MoveScript, [RedisKeys.Session(id), RedisKeys.ReplicaSessions(""), RedisKeys.SessionReplicas], [replica, id]);

    /// <summary>The session, its owner and its replica; null when it does not exist.</summary>
    public async Task<StoredSession?> GetAsync(string id)
    {
        var fields = await Db.HashGetAllAsync(RedisKeys.Session(id));
        return fields.Length == 0 ? null : StoredSession.From(id, fields.ToDictionary(f => f.Name.ToString(), f => f.Value.ToString()));
    }

    /// <summary>"ok" when the cell may run; else the session's status ("ended", "starting", "missing") or "busy".</summary>
    public async Task<string> ClaimCellAsync(string id, string token, TimeSpan hold)
    {
        var now = time.GetUtcNow();
        return (string?)await Db.ScriptEvaluateAsync(ClaimScript, [RedisKeys.Session(id)],
            [now.ToUnixTimeMilliseconds(), token, (now + hold).ToUnixTimeMilliseconds()]) ?? "missing";
    }

    public Task ReleaseCellAsync(string id, string token) =>
        Db.ScriptEvaluateAsync(ReleaseScript, [RedisKeys.Session(id)], [token]);

    /// <summary>Ends the session with <paramref name="reason"/> unless it had already ended; true when this call ended it.</summary>
    public async Task<bool> EndAsync(string id, string reason) =>
        (int)await Db.ScriptEvaluateAsync(SessionEndScript.Lua, [RedisKeys.Session(id)],
            [.. SessionEndScript.Args(id, reason, options.Value.RetentionSeconds)]) == 1;

    /// <summary>Ends a session whose replica died, and the cell it was running (whoever waits for that cell learns why).</summary>
    public async Task EndWithLostReplicaAsync(string id, string? cell)
    {
        await EndAsync(id, SessionEndReasons.ReplicaLost);
        if (cell is not null)
        {
            await FailLostCellAsync(cell, SessionEndReasons.ReplicaLost);
        }
    }

    /// <summary>Whether <paramref name="replica"/>'s heartbeat is fresh (it is alive and holds its sessions).</summary>
    public async Task<bool> ReplicaAliveAsync(string replica, int heartbeatTimeoutSeconds)
    {
        var beat = await Db.SortedSetScoreAsync(RedisKeys.SandboxesSeen, replica);
        return beat is { } ms && ms >= time.GetUtcNow().AddSeconds(-heartbeatTimeoutSeconds).ToUnixTimeMilliseconds();
    }

    public static DateTimeOffset? ParseTime(string? value) =>
        string.IsNullOrEmpty(value) ? null : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
