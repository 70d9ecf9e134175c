using System.Diagnostics;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;
using StackExchange.Redis;

namespace Codify.Tests.Health;

/// <summary>
/// Slot changes are published at most once per Sandbox:SlotUpdateIntervalMs (a burst of jobs is a few registry writes,
/// not one per job taken and freed), the last change still reaches the registry without waiting for the heartbeat, and
/// the entries of running jobs stay fresh however often the slots change.
/// </summary>
[ApiTier]
public sealed class SlotUpdatePacingTests
{
    [Fact]
    public async Task A_burst_of_jobs_is_published_in_a_few_beats_and_its_end_is_published_at_once()
    {
        const int intervalMs = 1000;
        const int jobs = 12;
        await using var redis = await RedisServer.StartAsync();
        await using var sandbox = new SandboxFactory(redis.ConnectionString, new Dictionary<string, string?>
        {
            // Periodic beats out of the way: every beat seen below is a slot update.
            ["Sandbox:HeartbeatSeconds"] = "30",
            ["Sandbox:ReclaimIdleSeconds"] = "90",
            ["Sandbox:SlotUpdateIntervalMs"] = $"{intervalMs}",
        });
        _ = sandbox.Server;
        await using var api = new ApiFactory(redis.ConnectionString, new Dictionary<string, string?> { ["Executions:SandboxHeartbeatTimeoutSeconds"] = "120" });
        using var client = api.CreateClient();
        await Eventually.ReturnsAsync(() => HealthAnswer.GetAsync(client, "/api/health/detailed"),
            a => a.Replicas() is [var only] && only.GetProperty("status").GetString() == "healthy", TimeSpan.FromSeconds(60), "a healthy replica");

        var beats = await CountBeatsAsync(redis);
        var clock = Stopwatch.StartNew();
        var ids = await Task.WhenAll(Enumerable.Range(0, jobs).Select(async i =>
        {
            using var created = await client.PostAsJsonAsync("/api/execute", new { code = $"print({i})", language = "python" });
            return (await created.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!.Id;
        }));
        foreach (var id in ids)
        {
            await Eventually.ReturnsAsync(() => client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{id}", CodifyJson.Options),
                r => r!.Status.IsTerminal(), TimeSpan.FromSeconds(60), $"execution {id} to end");
        }

        // The last change (all slots free) is published within one interval, not at the next 30 s heartbeat.
        await Eventually.ReturnsAsync(() => HealthAnswer.GetAsync(client, "/api/health/detailed"),
            a => a.Replicas() is [var only] && only.GetProperty("slotsFree").GetInt32() == SandboxFactory.Slots && only.GetProperty("running").GetInt32() == 0,
            TimeSpan.FromSeconds(10), "the freed slots to show");
        var elapsedMs = clock.ElapsedMilliseconds;

        // 2 × 12 slot changes; paced, at most one beat per interval of the burst (plus the first, at once, and the last).
        var bound = (elapsedMs / intervalMs) + 2;
        // Keyspace notifications reach this subscriber a moment after the writes (later still on a loaded machine).
        await Eventually.ReturnsAsync(() => Task.FromResult(Count(beats)), n => n >= 1, TimeSpan.FromSeconds(10), "the registry writes' notifications");
        Assert.InRange(Count(beats), 1, bound);
    }

    [Fact]
    public async Task A_running_jobs_entry_stays_fresh_while_slot_updates_keep_coming()
    {
        const int reclaimIdleMs = 3000;
        await using var redis = await RedisServer.StartAsync();
        await using var sandbox = new SandboxFactory(redis.ConnectionString, new Dictionary<string, string?>
        {
            ["Sandbox:HeartbeatSeconds"] = "1",
            ["Sandbox:ReclaimIdleSeconds"] = $"{reclaimIdleMs / 1000}",
            // The longest interval allowed under the 1 s heartbeat: the worst case for the touches.
            ["Sandbox:SlotUpdateIntervalMs"] = "900",
        });
        _ = sandbox.Server;
        await using var api = new ApiFactory(redis.ConnectionString);
        using var client = api.CreateClient();
        await Eventually.ReturnsAsync(() => redis.Db.SortedSetLengthAsync(RedisKeys.HealthySandboxes), n => n == 1,
            TimeSpan.FromSeconds(60), "the replica to advertise itself");

        using var created = await client.PostAsJsonAsync("/api/execute", new { code = "import time\ntime.sleep(6)\nprint('slept')", language = "python", timeout = 30 });
        var id = (await created.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!.Id;
        var maxIdleMs = 0L;
        ExecutionRecord? record;
        do
        {
            // Slot changes all the while: short jobs on the other slots.
            using var other = await client.PostAsJsonAsync("/api/execute?wait=true", new { code = "print(1)", language = "python" });
            var pending = await redis.Db.StreamPendingMessagesAsync(RedisKeys.JobStream, RedisKeys.SandboxGroup, 16, RedisValue.Null);
            maxIdleMs = Math.Max(maxIdleMs, pending.Select(p => p.IdleTimeInMilliseconds).DefaultIfEmpty(0).Max());
            record = await client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{id}", CodifyJson.Options);
        }
        while (!record!.Status.IsTerminal());

        Assert.Equal("slept\n", record.Stdout); // not reclaimed from under the run and failed as lost
        Assert.InRange(maxIdleMs, 0, reclaimIdleMs - 1);
    }

    /// <summary>Every registry write (HSET of the replicas hash) from now on, counted by Redis keyspace notifications.</summary>
    private static int Count(List<DateTime> beats)
    {
        lock (beats)
        {
            return beats.Count;
        }
    }

    private static async Task<List<DateTime>> CountBeatsAsync(RedisServer redis)
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"{redis.ConnectionString},allowAdmin=true");
        await admin.GetServer(redis.ConnectionString).ConfigSetAsync("notify-keyspace-events", "Kh");
        var beats = new List<DateTime>();
        await redis.Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal($"__keyspace@0__:{RedisKeys.SandboxReplicas}"), (_, message) =>
        {
            if (message == "hset")
            {
                lock (beats)
                {
                    beats.Add(DateTime.UtcNow);
                }
            }
        });
        return beats;
    }
}
