namespace Codify.Contracts;

/// <summary>
/// Lua shared by every script that ends an execution record (the Sandbox's finish, a cancellation while queued): counts
/// the ended execution in this minute's and this hour's statistics hash (<see cref="RedisKeys.StatsMinute"/>,
/// <see cref="RedisKeys.StatsHour"/>), in the same atomic script, so every ended execution is counted exactly once.
/// </summary>
/// <remarks>
/// Fields of a statistics hash: <c>count:{status}:{language}</c>; for the run's wall time (<c>run</c>) and the queue
/// wait, created → started (<c>wait</c>): <c>{name}:{bucket}</c> counts (see <see cref="DurationHistogram"/>),
/// <c>{name}:sum</c>, <c>{name}:min</c>, <c>{name}:max</c> in ms. A hash has a few hundred fields at most, whatever the traffic.
/// </remarks>
public static class ExecutionStatsScript
{
    public const string CountPrefix = "count:";
    public const string Run = "run";
    public const string Wait = "wait";

    /// <summary>Minute hashes live long enough for the longest minute-based window (1 h).</summary>
    public static readonly TimeSpan MinuteRetention = TimeSpan.FromHours(2);

    /// <summary>Hour hashes live long enough for the 24 h window.</summary>
    public static readonly TimeSpan HourRetention = TimeSpan.FromHours(26);

    /// <summary>
    /// The snippet to embed after the record's terminal HSET. Each argument is a Lua expression: the record's key, this
    /// minute's and this hour's statistics keys (declared as keys), the terminal status (wire name) and the run's wall
    /// time in ms (<c>''</c> when no program ran: no run duration is counted; a forked hello can take 0 ms, and counts).
    /// </summary>
    public static string Record(string recordKey, string minuteKey, string hourKey, string status, string wallMs) => $$"""
        do
          local function unixms(iso)
            if not iso then return nil end
            local y, mo, d, h, mi, s, frac, zone = string.match(iso, '^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)%.?(%d*)(.*)$')
            if not y then return nil end
            y, mo, d = tonumber(y), tonumber(mo), tonumber(d)
            if mo <= 2 then y = y - 1 end
            local era = math.floor(y / 400)
            local yoe = y - era * 400
            local doy = math.floor((153 * ((mo + 9) % 12) + 2) / 5) + d - 1
            local days = era * 146097 + yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy - 719468
            local t = ((days * 24 + tonumber(h)) * 60 + tonumber(mi)) * 60 + tonumber(s)
            local sign, oh, om = string.match(zone, '^([+-])(%d%d):?(%d%d)$')
            if sign == '+' then t = t - (oh * 3600 + om * 60) elseif sign == '-' then t = t + (oh * 3600 + om * 60) end
            return t * 1000 + tonumber(string.sub(frac .. '000', 1, 3))
          end
          local function bucket(v)
            if v <= 0 then return 0 end
            return 1 + math.floor({{DurationHistogram.BucketsPerDoubling}} * math.log(v) / math.log(2) + 1e-9)
          end
          local function sample(key, name, v)
            redis.call('HINCRBY', key, name .. ':' .. bucket(v), 1)
            redis.call('HINCRBY', key, name .. ':sum', v)
            local min = tonumber(redis.call('HGET', key, name .. ':min'))
            if not min or v < min then redis.call('HSET', key, name .. ':min', v) end
            local max = tonumber(redis.call('HGET', key, name .. ':max'))
            if not max or v > max then redis.call('HSET', key, name .. ':max', v) end
          end
          local times = redis.call('HMGET', {{recordKey}}, '{{ExecutionFields.Language}}', '{{ExecutionFields.CreatedAt}}', '{{ExecutionFields.StartedAt}}')
          local language = times[1] or 'unknown'
          local created, started = unixms(times[2]), unixms(times[3])
          local wall = tonumber({{wallMs}})
          for _, key in ipairs({ {{minuteKey}}, {{hourKey}} }) do
            redis.call('HINCRBY', key, '{{CountPrefix}}' .. {{status}} .. ':' .. language, 1)
            if wall then sample(key, '{{Run}}', wall) end
            if created and started then sample(key, '{{Wait}}', math.max(0, started - created)) end
          end
          redis.call('EXPIRE', {{minuteKey}}, {{(int)MinuteRetention.TotalSeconds}})
          redis.call('EXPIRE', {{hourKey}}, {{(int)HourRetention.TotalSeconds}})
        end
        """;

    /// <summary>The two statistics keys an execution ending at <paramref name="at"/> is counted in.</summary>
    public static (string Minute, string Hour) KeysAt(DateTimeOffset at)
    {
        var unixMs = at.ToUnixTimeMilliseconds();
        return (RedisKeys.StatsMinute(unixMs / 60_000), RedisKeys.StatsHour(unixMs / 3_600_000));
    }
}
