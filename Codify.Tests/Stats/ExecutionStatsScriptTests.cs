using Codify.Contracts;
using Codify.Tests.Infrastructure;
using StackExchange.Redis;

namespace Codify.Tests.Stats;

/// <summary>The Lua that counts an ended execution, run on a real redis-server against a record written like the services write it.</summary>
[ApiTier]
public sealed class ExecutionStatsScriptTests : IAsyncLifetime
{
    private static readonly string Script = $"""
        {ExecutionStatsScript.Record("KEYS[1]", "KEYS[2]", "KEYS[3]", "ARGV[1]", "ARGV[2]")}
        return 1
        """;

    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    public static TheoryData<string, string, long> Times => new()
    {
        // created, started (ISO "O" as the API and the Sandbox write them), the wait in ms
        { "2025-03-01T10:00:00.0000000+00:00", "2025-03-01T10:00:00.0120000+00:00", 12 },
        { "2024-12-31T23:59:59.9990000+00:00", "2025-01-01T00:00:01.5000000+00:00", 1501 },
        { "2024-02-28T23:59:00.0000000+00:00", "2024-02-29T00:01:00.0000000+00:00", 120_000 },
        { "2025-06-01T12:00:00.5000000+02:00", "2025-06-01T10:00:01.0000000+00:00", 500 },
        { "2025-06-01T10:00:00.0000000Z", "2025-06-01T10:00:00.0000000Z", 0 },
    };

    [Theory]
    [MemberData(nameof(Times))]
    public async Task The_queue_wait_is_read_from_the_records_times(string created, string started, long waitMs)
    {
        Assert.Equal(waitMs, (long)(DateTimeOffset.Parse(started, null, System.Globalization.DateTimeStyles.RoundtripKind)
            - DateTimeOffset.Parse(created, null, System.Globalization.DateTimeStyles.RoundtripKind)).TotalMilliseconds);
        await WriteRecordAsync("e1", created, started);

        await CountAsync("e1", "completed", wallMs: 250);

        var minute = await HashAsync("m");
        Assert.Equal(1, minute["count:completed:python"]);
        Assert.Equal(1, minute[$"wait:{DurationHistogram.BucketOf(waitMs)}"]);
        Assert.Equal(waitMs, minute["wait:min"]);
        Assert.Equal(waitMs, minute["wait:max"]);
        Assert.Equal(1, minute[$"run:{DurationHistogram.BucketOf(250)}"]);
        Assert.Equal(250, minute["run:sum"]);
    }

    /// <summary>A forked hello can end within the millisecond: its 0 ms is a run duration (it was skipped, and the counts disagreed).</summary>
    [Fact]
    public async Task A_run_of_0_ms_counts_as_a_run_duration()
    {
        await WriteRecordAsync("z", "2025-01-01T00:00:00.0000000+00:00", "2025-01-01T00:00:00.0010000+00:00");

        await CountAsync("z", "completed", wallMs: 0);

        var minute = await HashAsync("m");
        Assert.Equal(1, minute[$"run:{DurationHistogram.BucketOf(0)}"]);
        Assert.Equal(0, minute["run:min"]);
        Assert.Equal(0, minute["run:sum"]);
    }

    [Fact]
    public async Task Counts_add_up_and_a_run_that_never_started_counts_without_durations()
    {
        await WriteRecordAsync("a", "2025-01-01T00:00:00.0000000+00:00", "2025-01-01T00:00:00.0100000+00:00");
        await WriteRecordAsync("b", "2025-01-01T00:00:00.0000000+00:00", "2025-01-01T00:00:00.0300000+00:00");
        await WriteRecordAsync("c", "2025-01-01T00:00:00.0000000+00:00", started: null);

        await CountAsync("a", "completed", wallMs: 40);
        await CountAsync("b", "time_limit_exceeded", wallMs: 1000);
        await CountAsync("c", "cancelled", wallMs: "");

        foreach (var bucket in new[] { "m", "h" })
        {
            var stats = await HashAsync(bucket);
            Assert.Equal(1, stats["count:completed:python"]);
            Assert.Equal(1, stats["count:time_limit_exceeded:python"]);
            Assert.Equal(1, stats["count:cancelled:python"]);
            Assert.Equal(40, stats["run:min"]);
            Assert.Equal(1000, stats["run:max"]);
            Assert.Equal(1040, stats["run:sum"]);
            Assert.Equal(2, stats.Where(f => f.Key.StartsWith("wait:", StringComparison.Ordinal) && int.TryParse(f.Key[5..], out _)).Sum(f => f.Value));
            Assert.Equal(40, stats["wait:sum"]);
        }

        Assert.InRange((await _redis.Db.KeyTimeToLiveAsync("stats:m"))!.Value, TimeSpan.FromHours(1), ExecutionStatsScript.MinuteRetention);
        Assert.InRange((await _redis.Db.KeyTimeToLiveAsync("stats:h"))!.Value, TimeSpan.FromHours(24), ExecutionStatsScript.HourRetention);
    }

    private async Task WriteRecordAsync(string id, string created, string? started)
    {
        HashEntry[] fields = [new(ExecutionFields.Language, "python"), new(ExecutionFields.CreatedAt, created)];
        await _redis.Db.HashSetAsync(id, started is null ? fields : [.. fields, new(ExecutionFields.StartedAt, started)]);
    }

    private async Task CountAsync(string id, string status, RedisValue wallMs) =>
        await _redis.Db.ScriptEvaluateAsync(Script, [id, "stats:m", "stats:h"], [status, wallMs]);

    private async Task<Dictionary<string, long>> HashAsync(string bucket) =>
        (await _redis.Db.HashGetAllAsync($"stats:{bucket}")).ToDictionary(e => e.Name.ToString(), e => (long)e.Value);
}
