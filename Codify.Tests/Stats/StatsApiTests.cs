using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Stats;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Stats;

/// <summary><c>GET /api/stats</c> over executions run through the real stack.</summary>
[Collection(StackGroup.Name)]
[ApiTier]
public sealed class StatsApiTests(StackFixture stack)
{
    [Fact]
    public async Task Ended_executions_are_counted_by_status_and_language_with_sane_percentiles()
    {
        // The stack is shared with other tests: compare against the counts before. The 24 h window cannot lose a
        // bucket during the test (it started with an empty Redis less than a day ago).
        var before = await GetAsync();

        var ok = await stack.ExecuteAndWaitAsync(new { language = "python", code = "print(1)" });
        var js = await stack.ExecuteAndWaitAsync(new { language = "javascript", code = "console.log(1)" });
        var error = await stack.ExecuteAndWaitAsync(new { language = "python", code = "raise SystemExit(3)" });
        var tle = await stack.ExecuteAndWaitAsync(new { language = "javascript", code = "for(;;){}", timeout = 1 });
        Assert.Equal(
            [ExecutionStatus.Completed, ExecutionStatus.Completed, ExecutionStatus.RuntimeError, ExecutionStatus.TimeLimitExceeded],
            new[] { ok.Status, js.Status, error.Status, tle.Status });

        var after = await GetAsync();
        var (was, now) = (before.Windows["24h"], after.Windows["24h"]);
        Assert.Equal(was.Total + 4, now.Total);
        Assert.Equal(Count(was, "python", "completed") + 1, Count(now, "python", "completed"));
        Assert.Equal(Count(was, "python", "runtime_error") + 1, Count(now, "python", "runtime_error"));
        Assert.Equal(Count(was, "javascript", "completed") + 1, Count(now, "javascript", "completed"));
        Assert.Equal(Count(was, "javascript", "time_limit_exceeded") + 1, Count(now, "javascript", "time_limit_exceeded"));
        Assert.Equal(was.ByStatus.GetValueOrDefault("completed") + 2, now.ByStatus["completed"]);
        Assert.Equal(was.ByLanguage.GetValueOrDefault("javascript") + 2, now.ByLanguage["javascript"]);
        Assert.Equal(was.RunDurationMs.Count + 4, now.RunDurationMs.Count);
        Assert.Equal(was.QueueWaitMs.Count + 4, now.QueueWaitMs.Count);

        // The newest windows hold them too (they ended seconds ago).
        Assert.True(after.Windows["5m"].ByLanguageAndStatus["javascript"]["time_limit_exceeded"] >= 1);
        Assert.True(after.Windows["1h"].Total >= after.Windows["5m"].Total);
        Assert.True(now.Total >= after.Windows["1h"].Total);

        foreach (var window in after.Windows.Values)
        {
            AssertSane(window.RunDurationMs);
            AssertSane(window.QueueWaitMs);
        }

        // The wall clock of the time-limited run is the longest run of the 5 minutes, at least its limit.
        Assert.True(after.Windows["5m"].RunDurationMs.Max >= tle.WallTimeMs, $"{after.Windows["5m"].RunDurationMs} vs {tle.WallTimeMs}");
        Assert.True(tle.WallTimeMs >= 1000);
        Assert.True(after.Windows["5m"].RunDurationMs.Min <= ok.WallTimeMs);
    }

    [Fact]
    public async Task Windows_are_bucket_aligned_and_named()
    {
        var stats = await GetAsync();

        Assert.Equal(["5m", "1h", "24h"], stats.Windows.Keys);
        Assert.Equal("1m", stats.Windows["5m"].Bucket);
        Assert.Equal("1h", stats.Windows["24h"].Bucket);
        var fiveMinutes = stats.Windows["5m"];
        Assert.Equal(0, fiveMinutes.From.ToUnixTimeMilliseconds() % 60_000);
        Assert.InRange(fiveMinutes.To - fiveMinutes.From, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.InRange(stats.Windows["24h"].To - stats.Windows["24h"].From, TimeSpan.FromHours(23), TimeSpan.FromHours(24));
    }

    private static void AssertSane(DurationStats d)
    {
        if (d.Count == 0)
        {
            Assert.Null(d.P50);
            return;
        }

        Assert.True(d.Min <= d.P50 && d.P50 <= d.P95 && d.P95 <= d.Max, d.ToString());
        Assert.True(d.Min <= d.Mean && d.Mean <= d.Max, d.ToString());
        Assert.True(d.Min >= 0, d.ToString());
    }

    private static long Count(StatsWindow window, string language, string status) =>
        window.ByLanguageAndStatus.GetValueOrDefault(language)?.GetValueOrDefault(status) ?? 0;

    private async Task<ExecutionStats> GetAsync()
    {
        using var response = await stack.Client.GetAsync("/api/stats");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ExecutionStats>(CodifyJson.Options))!;
    }
}
