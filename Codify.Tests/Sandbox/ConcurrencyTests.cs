using System.Net.Http.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Sandbox;

/// <summary>A replica runs at most MAX_CONCURRENT_EXECUTIONS at once and never holds more jobs than free slots.</summary>
[ApiTier]
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Never_runs_or_takes_more_jobs_than_its_configured_slots()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var sandbox = new SandboxFactory(redis.ConnectionString, new Dictionary<string, string?> { ["MAX_CONCURRENT_EXECUTIONS"] = "2" });
        _ = sandbox.Server;
        await using var api = new ApiFactory(redis.ConnectionString);
        using var client = api.CreateClient();
        await Eventually.ReturnsAsync(() => redis.Db.SortedSetLengthAsync(RedisKeys.HealthySandboxes), n => n > 0,
            TimeSpan.FromSeconds(30), "the sandbox heartbeat");

        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/execute", new { code = "import time\ntime.sleep(0.7)", language = "python" });
            ids.Add((await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!.Id);
        }

        var maxPending = 0L;
        var records = await Eventually.ReturnsAsync(async () =>
        {
            var pending = await redis.Db.StreamPendingAsync(RedisKeys.JobStream, RedisKeys.SandboxGroup);
            maxPending = Math.Max(maxPending, pending.PendingMessageCount);
            return await Task.WhenAll(ids.Select(id => client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{id}", CodifyJson.Options)));
        }, all => all.All(r => r!.Status.IsTerminal()), TimeSpan.FromSeconds(60), "all six executions to end");

        Assert.All(records, r => Assert.Equal(ExecutionStatus.Completed, r!.Status));
        Assert.InRange(maxPending, 0, 2);
        Assert.Equal(2, MaxOverlap(records!));
    }

    private static int MaxOverlap(IEnumerable<ExecutionRecord?> records)
    {
        var edges = records.SelectMany(r => new[] { (r!.StartedAt!.Value, 1), (r.CompletedAt!.Value, -1) })
            .OrderBy(e => e.Item1).ThenBy(e => e.Item2);
        int current = 0, max = 0;
        foreach (var (_, delta) in edges)
        {
            current += delta;
            max = Math.Max(max, current);
        }

        return max;
    }
}
