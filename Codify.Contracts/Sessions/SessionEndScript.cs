namespace Codify.Contracts.Sessions;

/// <summary>
/// Ends a session record once, whoever ends it (the API: closed, replica lost; the replica: idle, lifetime, killed): the
/// first reason stays, the cell claim goes. KEYS[1] = the session, ARGV[1] = the reason, ARGV[2] (optional) = seconds
/// the ended record stays readable.
/// </summary>
public static class SessionEndScript
{
    public const string Lua = """
        local status = redis.call('HGET', KEYS[1], 'status')
        if not status or status == 'ended' then return 0 end
        redis.call('HSET', KEYS[1], 'status', 'ended', 'endReason', ARGV[1])
        redis.call('HDEL', KEYS[1], 'cell', 'cellUntil')
        if ARGV[2] then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
        return 1
        """;
}
