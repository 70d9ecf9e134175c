using Codify.Contracts;
using Codify.ExecutionApi.Stats;

namespace Codify.Tests.Stats;

[UnitTier]
public sealed class StatsAccumulatorTests
{
    [Fact]
    public void Hashes_add_up_into_counts_by_status_and_language_and_duration_stats()
    {
        var sum = new StatsAccumulator();
        sum.Add(
        [
            new("count:completed:python", 3), new("count:runtime_error:python", 1), new("count:completed:javascript", 2),
            new($"run:{DurationHistogram.BucketOf(10)}", 5), new("run:sum", 50), new("run:min", 10), new("run:max", 10),
        ]);
        sum.Add(
        [
            new("count:completed:python", 1),
            new($"run:{DurationHistogram.BucketOf(1000)}", 1), new("run:sum", 1000), new("run:min", 1000), new("run:max", 1000),
            new("wait:0", 2), new("wait:sum", 0), new("wait:min", 0), new("wait:max", 0),
        ]);

        var window = sum.ToWindow(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(5), "1m");

        Assert.Equal(7, window.Total);
        Assert.Equal(6, window.ByStatus["completed"]);
        Assert.Equal(1, window.ByStatus["runtime_error"]);
        Assert.Equal(5, window.ByLanguage["python"]);
        Assert.Equal(4, window.ByLanguageAndStatus["python"]["completed"]);
        Assert.Equal(new DurationStats(6, 10, DurationHistogram.ValueOf(DurationHistogram.BucketOf(1000)), 175, 10, 1000), window.RunDurationMs);
        Assert.Equal(new DurationStats(2, 0, 0, 0, 0, 0), window.QueueWaitMs);
    }

    [Fact]
    public void An_empty_window_has_zero_counts_and_null_durations()
    {
        var window = new StatsAccumulator().ToWindow(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "1h");

        Assert.Equal(0, window.Total);
        Assert.Empty(window.ByStatus);
        Assert.Equal(new DurationStats(0, null, null, null, null, null), window.RunDurationMs);
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var sum = new StatsAccumulator();
        sum.Add([new("something:else", 4), new("count:completed", 1), new("run:sum", "not-a-number")]);

        Assert.Equal(0, sum.ToWindow(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "1m").Total);
    }
}
