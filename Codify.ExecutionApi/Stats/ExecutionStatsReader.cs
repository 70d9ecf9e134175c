using Codify.Contracts;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Stats;

/// <summary>
/// Computes <c>GET /api/stats</c> from the minute and hour hashes the terminal transitions write. A window is a whole number
/// of buckets ending with the current (partial) one: "5m" = 5 minute buckets, "1h" = 60 minute buckets, "24h" = 24 hour
/// buckets, so it covers between its length minus one bucket and its length. Cost is fixed: 84 hash reads, whatever the traffic.
/// </summary>
public sealed class ExecutionStatsReader(IConnectionMultiplexer redis, TimeProvider time)
{
    public static readonly IReadOnlyList<StatsWindowDefinition> Windows =
    [
        new("5m", TimeSpan.FromMinutes(1), 5),
        new("1h", TimeSpan.FromMinutes(1), 60),
        new("24h", TimeSpan.FromHours(1), 24),
    ];

    public async Task<ExecutionStats> ReadAsync()
    {
        var now = time.GetUtcNow();
        var db = redis.GetDatabase();
        // Each bucket size is read once, as far back as its longest window; shorter windows use the newest part.
        var reads = Windows.GroupBy(w => w.Bucket).ToDictionary(
            g => g.Key,
            g => Enumerable.Range(0, g.Max(w => w.Buckets)).Select(age => db.HashGetAllAsync(KeyOf(g.Key, Start(now, g.Key, age)))).ToArray());
        await Task.WhenAll(reads.Values.SelectMany(r => r));

        var windows = new Dictionary<string, StatsWindow>(StringComparer.Ordinal);
        foreach (var window in Windows)
        {
            var sum = new StatsAccumulator();
            foreach (var read in reads[window.Bucket].Take(window.Buckets))
            {
                sum.Add(await read);
            }

            windows[window.Name] = sum.ToWindow(Start(now, window.Bucket, window.Buckets - 1), now, BucketName(window.Bucket));
        }

        return new ExecutionStats(now, windows);
    }

    /// <summary>The start of the bucket <paramref name="age"/> buckets before the one holding <paramref name="now"/>.</summary>
    private static DateTimeOffset Start(DateTimeOffset now, TimeSpan bucket, int age)
    {
        var size = (long)bucket.TotalMilliseconds;
        return DateTimeOffset.FromUnixTimeMilliseconds((now.ToUnixTimeMilliseconds() / size - age) * size);
    }

    private static RedisKey KeyOf(TimeSpan bucket, DateTimeOffset start) =>
        bucket == TimeSpan.FromHours(1)
            ? RedisKeys.StatsHour(start.ToUnixTimeMilliseconds() / 3_600_000)
            : RedisKeys.StatsMinute(start.ToUnixTimeMilliseconds() / 60_000);

    private static string BucketName(TimeSpan bucket) => bucket == TimeSpan.FromHours(1) ? "1h" : "1m";
}

/// <summary>A statistics window: its name, the bucket size it is counted in, and how many buckets.</summary>
public sealed record StatsWindowDefinition(string Name, TimeSpan Bucket, int Buckets);
