using System.Globalization;
using System.Text.Json;
using Codify.Contracts;
using Codify.Contracts.Sessions;
using StackExchange.Redis;

namespace Codify.Sandbox.Sessions;

/// <summary>The replica's side of session records in Redis: read the plan, mark ready, note a cell's end, end, reply.</summary>
internal sealed class SessionRecords(IConnectionMultiplexer redis, TimeProvider time)
{
    /// <summary>How long a reply waits for the API to collect it.</summary>
    private static readonly TimeSpan ReplyLifetime = TimeSpan.FromSeconds(60);

    // starting → ready only: a session the API gave up on (ended meanwhile) is not revived.
    private const string ReadyScript = """
        if redis.call('HGET', KEYS[1], 'status') ~= 'starting' then return 0 end
        redis.call('HSET', KEYS[1], 'status', 'ready', 'lastActivityAt', ARGV[1])
        return 1
        """;

    // A cell's end frees the session for the next one (only if the claim is still this cell's).
    private const string CellEndedScript = """
        if redis.call('HGET', KEYS[1], 'cell') == ARGV[1] then redis.call('HDEL', KEYS[1], 'cell', 'cellUntil') end
        if redis.call('EXISTS', KEYS[1]) == 1 then
          redis.call('HINCRBY', KEYS[1], 'cells', 1)
          redis.call('HSET', KEYS[1], 'lastActivityAt', ARGV[2])
        end
        return 1
        """;

    // A cell that never reached the kernel frees the session too, without counting as one of its cells.
    private const string CellNotRunScript = """
        if redis.call('HGET', KEYS[1], 'cell') == ARGV[1] then redis.call('HDEL', KEYS[1], 'cell', 'cellUntil') end
        return 1
        """;

    // Only an existing record: a late touch must not leave a stray hash without its expiry.
    private const string TouchScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'lastActivityAt', ARGV[1]) end
        return 1
        """;


    private IDatabase Db => redis.GetDatabase();

    /// <summary>The session's plan and status; null when the record is gone or unreadable.</summary>
    public async Task<(SessionPlan Plan, string Status)?> LoadAsync(string id)
    {
        var f = await Db.HashGetAsync(RedisKeys.Session(id),
            [SessionFields.Status, SessionFields.Language, SessionFields.Limits, SessionFields.IdleTimeoutSeconds, SessionFields.ExpiresAt]);
        if (f[0].IsNullOrEmpty || Languages.Find(f[1].ToString()) is not { } language
            || JsonSerializer.Deserialize<ExecutionLimits>(f[2].ToString(), CodifyJson.Options) is not { } limits
            || !int.TryParse(f[3].ToString(), CultureInfo.InvariantCulture, out var idle)
            || !DateTimeOffset.TryParse(f[4].ToString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiresAt))
        {
            return null;
        }

        return (new SessionPlan(id, language, limits, TimeSpan.FromSeconds(idle), expiresAt), f[0].ToString());
    }

    public async Task<bool> MarkReadyAsync(string id) =>
        (int)await Db.ScriptEvaluateAsync(ReadyScript, [RedisKeys.Session(id)], [Now()]) == 1;

    public Task CellEndedAsync(string id, string executionId) =>
        Db.ScriptEvaluateAsync(CellEndedScript, [RedisKeys.Session(id)], [executionId, Now()]);

    public Task CellNotRunAsync(string id, string executionId) =>
        Db.ScriptEvaluateAsync(CellNotRunScript, [RedisKeys.Session(id)], [executionId]);

    public Task TouchAsync(string id) => Db.ScriptEvaluateAsync(TouchScript, [RedisKeys.Session(id)], [Now()]);

    public Task EndAsync(string id, string reason) =>
        Db.ScriptEvaluateAsync(SessionEndScript.Lua, [RedisKeys.Session(id)], [.. SessionEndScript.Args(id, reason, keepSeconds: null)]);

    /// <summary>Leaves the reply where the API reads it, then announces it.</summary>
    public async Task ReplyAsync(string requestId, SessionReply reply)
    {
        var key = RedisKeys.SessionReply(requestId);
        await Db.StringSetAsync(key, JsonSerializer.Serialize(reply, CodifyJson.Options), ReplyLifetime);
        await Db.PublishAsync(RedisChannel.Literal(key), "1");
    }

    private string Now() => time.GetUtcNow().ToString("O");
}
