namespace Codify.Contracts.Sessions;

/// <summary>
/// Ends a session record once, whoever ends it (the API: closed, replica lost; the replica: idle, lifetime, killed): the
/// first reason stays, the cell claim goes, the session leaves its replica's set of open sessions.
/// KEYS[1] = the session; ARGV: see <see cref="Args"/>.
/// </summary>
public static class SessionEndScript
{
    public static readonly string Lua = $"""
        local status = redis.call('HGET', KEYS[1], 'status')
        if not status or status == 'ended' then return 0 end
        redis.call('HSET', KEYS[1], 'status', 'ended', 'endReason', ARGV[1])
        redis.call('HDEL', KEYS[1], 'cell', 'cellUntil')
        if ARGV[2] ~= '' then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
        local replica = redis.call('HGET', KEYS[1], 'replica')
        if replica then redis.call('SREM', '{RedisKeys.ReplicaSessions("")}' .. replica, ARGV[3]) end
        return 1
        """;

    /// <summary>The script's arguments: why it ended, how long the ended record stays readable (null: as it is), the session's id.</summary>
    public static string[] Args(string id, string reason, int? keepSeconds) =>
        [reason, keepSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", id];
}
