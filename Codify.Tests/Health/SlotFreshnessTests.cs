using System.Net.Http.Json;
using System.Text.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Health;

/// <summary>
/// A replica republishes its slot counts when it takes or lets go of a job, so /api/health/detailed does not report free
/// slots that are busy until the next heartbeat. The heartbeat here is long (20 s) so that only a prompt update can pass.
/// </summary>
[ApiTier]
public sealed class SlotFreshnessTests
{
    private const int HeartbeatSeconds = 20;

    [Fact]
    public async Task Slots_follow_a_job_starting_and_ending_without_waiting_for_the_heartbeat()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var sandbox = new SandboxFactory(redis.ConnectionString, new Dictionary<string, string?>
        {
            ["Sandbox:HeartbeatSeconds"] = $"{HeartbeatSeconds}",
            ["Sandbox:ReclaimIdleSeconds"] = "60",
        });
        _ = sandbox.Server;
        await using var api = new ApiFactory(redis.ConnectionString, new Dictionary<string, string?> { ["Executions:SandboxHeartbeatTimeoutSeconds"] = "120" });
        using var client = api.CreateClient();
        var idle = await ReplicaAsync(client, r => r.GetProperty("status").GetString() == "healthy", "a healthy replica");
        Assert.Equal(SandboxFactory.Slots, idle.GetProperty("slotsFree").GetInt32());

        using var created = await client.PostAsJsonAsync("/api/execute", new { code = "import time\ntime.sleep(30)", language = "python", timeout = 30 });
        var id = (await created.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!.Id;
        var busy = await ReplicaAsync(client, r => r.GetProperty("slotsFree").GetInt32() == SandboxFactory.Slots - 1, "the taken slot to show");
        using var cancelled = await client.DeleteAsync($"/api/execute/{id}");
        var freed = await ReplicaAsync(client, r => r.GetProperty("slotsFree").GetInt32() == SandboxFactory.Slots, "the freed slot to show");

        Assert.True(BeatOf(busy) > BeatOf(idle));
        Assert.Equal(0, freed.GetProperty("running").GetInt32());
        // Both updates came sooner than a periodic beat could have: each was published on the change itself.
        Assert.True(BeatOf(freed) - BeatOf(idle) < TimeSpan.FromSeconds(HeartbeatSeconds), $"{BeatOf(idle):O} → {BeatOf(freed):O}");
        Assert.True(freed.GetProperty("lastBeatAgeSeconds").GetDouble() < HeartbeatSeconds);
    }

    private static DateTimeOffset BeatOf(JsonElement replica) => replica.GetProperty("lastBeat").GetDateTimeOffset();

    private static async Task<JsonElement> ReplicaAsync(HttpClient client, Func<JsonElement, bool> wanted, string what)
    {
        var answer = await Eventually.ReturnsAsync(
            () => HealthAnswer.GetAsync(client, "/api/health/detailed"),
            a => a.Replicas() is [var only] && wanted(only),
            TimeSpan.FromSeconds(HeartbeatSeconds / 2), what);
        return answer.Replicas()[0];
    }
}
