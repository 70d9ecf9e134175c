using Codify.Contracts;

namespace Codify.Tests.Stats;

[UnitTier]
public sealed class DurationHistogramTests
{
    [Fact]
    public void Every_duration_up_to_an_hour_is_represented_within_4_5_percent_and_rounding_by_its_bucket()
    {
        for (long ms = 1; ms <= 3_600_000; ms = ms < 200 ? ms + 1 : ms * 101 / 100)
        {
            var value = DurationHistogram.ValueOf(DurationHistogram.BucketOf(ms));
            // The middle of the bucket is within 2^(1/16) - 1 = 4.4 % of every duration in it; whole ms add half a ms.
            Assert.True(Math.Abs(value - ms) <= (ms * 0.045) + 0.5, $"{ms} ms is represented as {value} ms");
        }

        Assert.Equal(0, DurationHistogram.BucketOf(0));
        Assert.Equal(0, DurationHistogram.ValueOf(0));
        Assert.True(DurationHistogram.BucketOf(3_600_000) < 200);
    }

    [Fact]
    public void Percentiles_are_nearest_rank_over_the_buckets_and_stay_within_min_and_max()
    {
        // 100 durations: 1..100 ms.
        var counts = Enumerable.Range(1, 100).GroupBy(ms => DurationHistogram.BucketOf(ms)).ToDictionary(g => g.Key, g => (long)g.Count());

        var p50 = DurationHistogram.Percentile(counts, 0.50, 1, 100);
        var p95 = DurationHistogram.Percentile(counts, 0.95, 1, 100);
        var p100 = DurationHistogram.Percentile(counts, 1.0, 1, 100);

        Assert.InRange(p50!.Value, 48, 52);
        Assert.InRange(p95!.Value, 91, 99);
        Assert.Equal(100, p100); // clamped to the observed max
        Assert.Null(DurationHistogram.Percentile(new Dictionary<int, long>(), 0.5, 0, 0));
    }
}
