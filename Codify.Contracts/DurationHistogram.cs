namespace Codify.Contracts;

/// <summary>
/// The log-scale buckets execution statistics count durations in: bucket 0 holds 0 ms, bucket <c>i ≥ 1</c> holds
/// [2^((i-1)/8), 2^(i/8)) ms, eight buckets per doubling. A bucket's <see cref="ValueOf"/> is within 4.5 % (plus half a ms of
/// rounding) of every duration it holds, so percentiles read from the buckets are that close; an hour of runs needs at most ~180 buckets.
/// </summary>
public static class DurationHistogram
{
    public const int BucketsPerDoubling = 8;

    /// <summary>The bucket of a duration; the Lua in <see cref="ExecutionStatsScript"/> computes the same.</summary>
    public static int BucketOf(long milliseconds) =>
        milliseconds <= 0 ? 0 : 1 + (int)Math.Floor(BucketsPerDoubling * Math.Log2(milliseconds) + 1e-9);

    /// <summary>The duration a bucket stands for: the geometric middle of its range, in whole ms.</summary>
    public static long ValueOf(int bucket) =>
        bucket <= 0 ? 0 : (long)Math.Round(Math.Pow(2, (bucket - 0.5) / BucketsPerDoubling));

    /// <summary>
    /// The nearest-rank percentile (<paramref name="fraction"/> in (0, 1]) of the durations counted in
    /// <paramref name="counts"/> (bucket → count), kept within the observed <paramref name="min"/> and <paramref name="max"/>;
    /// null when nothing was counted.
    /// </summary>
    public static long? Percentile(IReadOnlyDictionary<int, long> counts, double fraction, long min, long max)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        var total = counts.Values.Sum();
        if (total == 0)
        {
            return null;
        }

        var rank = (long)Math.Ceiling(fraction * total);
        var seen = 0L;
        foreach (var (bucket, count) in counts.OrderBy(c => c.Key))
        {
            seen += count;
            if (seen >= rank)
            {
                return Math.Clamp(ValueOf(bucket), min, max);
            }
        }

        return max;
    }
}
