namespace Codify.Contracts;

/// <summary>
/// Standard input for an interactive execution: the API appends chunks to <see cref="RedisKeys.Stdin"/> with
/// <see cref="Send"/>; the Sandbox running the program reads them in order and writes them to the program's stdin.
/// Chunks sent while the execution is still queued wait in the stream.
/// </summary>
public static class StdinScript
{
    /// <summary>Field of a stream entry holding the chunk's text.</summary>
    public const string DataField = "data";

    /// <summary>Field present (value "1") on the entry that closes standard input.</summary>
    public const string EofField = "eof";

    /// <summary>
    /// KEYS: record, stdin stream. ARGV: data, eof ("1"/"0"), the byte budget, the poke channel.
    /// Returns sent | not_found | not_interactive | ended | closed | too_large. Checked and appended atomically, so the
    /// budget holds across API replicas and nothing is appended after the end.
    /// </summary>
    public static readonly string Send = $"""
        local status = redis.call('HGET', KEYS[1], '{ExecutionFields.Status}')
        if not status then return 'not_found' end
        if redis.call('HGET', KEYS[1], '{ExecutionFields.Interactive}') ~= '1' then return 'not_interactive' end
        if status ~= 'queued' and status ~= 'running' then return 'ended' end
        if redis.call('HEXISTS', KEYS[1], '{ExecutionFields.StdinClosed}') == 1 then return 'closed' end
        local used = tonumber(redis.call('HGET', KEYS[1], '{ExecutionFields.StdinBytes}') or '0')
        if used + string.len(ARGV[1]) > tonumber(ARGV[3]) then return 'too_large' end
        redis.call('HINCRBY', KEYS[1], '{ExecutionFields.StdinBytes}', string.len(ARGV[1]))
        if ARGV[2] == '1' then
          redis.call('HSET', KEYS[1], '{ExecutionFields.StdinClosed}', '1')
          redis.call('XADD', KEYS[2], '*', '{DataField}', ARGV[1], '{EofField}', '1')
        else
          redis.call('XADD', KEYS[2], '*', '{DataField}', ARGV[1])
        end
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
        redis.call('PUBLISH', ARGV[4], '1')
        return 'sent'
        """;
}
