using System.Net;
using System.Text.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Health;

/// <summary>Readiness follows the sandbox registry: none registered, one that cannot isolate, one whose heartbeat stopped.</summary>
[ApiTier]
public sealed class SandboxRegistryHealthTests
{
    [Fact]
    public async Task Without_a_sandbox_ready_is_503_naming_the_reason_and_detailed_lists_no_replica()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var api = new ApiFactory(redis.ConnectionString);
        using var client = api.CreateClient();

        var ready = await HealthAnswer.GetAsync(client, "/api/health/ready");
        var detailed = await HealthAnswer.GetAsync(client, "/api/health/detailed");
        var aspire = await client.GetAsync("/health");

        Assert.True(ready.Status == HttpStatusCode.ServiceUnavailable, ready.ToString());
        Assert.Equal("sandboxes: no sandbox replica is registered", ready.Body.GetProperty("reason").GetString());
        Assert.Equal("healthy", ready.Body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, detailed.Status);
        Assert.Equal("degraded", detailed.Body.GetProperty("status").GetString());
        Assert.Equal("healthy", detailed.CheckStatus("redis"));
        Assert.Empty(detailed.Replicas());
        // Aspire's /health: the API itself works (Degraded answers 200), the reason is in the body.
        Assert.Equal(HttpStatusCode.OK, aspire.StatusCode);
        Assert.Contains("no sandbox replica is registered", await aspire.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sandbox_that_cannot_isolate_is_listed_unhealthy_with_its_reason_and_leaves_the_registry_when_stopped()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var api = new ApiFactory(redis.ConnectionString);
        using var client = api.CreateClient();
        var sandbox = new SandboxFactory(redis.ConnectionString, new Dictionary<string, string?>
        {
            ["Isolation:BubblewrapPath"] = "/nonexistent/bwrap",
        });
        try
        {
            _ = sandbox.Server;
            var detailed = await Eventually.ReturnsAsync(
                () => HealthAnswer.GetAsync(client, "/api/health/detailed"),
                a => a.Replicas().Any(r => r.GetProperty("reason").GetString()?.Contains("/nonexistent/bwrap is missing", StringComparison.Ordinal) == true),
                TimeSpan.FromSeconds(30), "the replica to be listed with its probe's reason");

            var replica = Assert.Single(detailed.Replicas());
            Assert.Equal("unhealthy", replica.GetProperty("status").GetString());
            Assert.Equal(SandboxFactory.Slots, replica.GetProperty("slotsTotal").GetInt32());
            Assert.False(replica.GetProperty("isolation").TryGetProperty("bubblewrap", out _)); // it did not answer
            Assert.Equal(HttpStatusCode.ServiceUnavailable, detailed.Status);
            var ready = await HealthAnswer.GetAsync(client, "/api/health/ready");
            Assert.Contains("/nonexistent/bwrap is missing", ready.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await sandbox.DisposeAsync();
        }

        Assert.Equal(0, await redis.Db.HashLengthAsync(RedisKeys.SandboxReplicas));
        Assert.Empty((await HealthAnswer.GetAsync(client, "/api/health/detailed")).Replicas());
    }

    [Fact]
    public async Task A_replica_whose_heartbeat_stopped_is_listed_unhealthy_as_silent_not_dropped()
    {
        await using var redis = await RedisServer.StartAsync();
        var lastBeat = DateTimeOffset.UtcNow.AddMinutes(-2);
        var info = new SandboxReplicaInfo
        {
            Id = "crashed-1",
            Host = "h",
            Ready = true,
            Reason = "sandbox verified",
            SlotsTotal = 4,
            SlotsFree = 4,
            Running = 0,
            Isolation = new SandboxIsolationInfo("v2", "cgroup v2 below /x", "enabled", "0.8.0"),
            Runtimes = new Dictionary<string, string> { ["python"] = "3.11.2" },
            StartedAt = lastBeat.AddHours(-1),
            LastBeat = lastBeat,
        };
        await redis.Db.HashSetAsync(RedisKeys.SandboxReplicas, info.Id, JsonSerializer.Serialize(info, CodifyJson.Options));
        await redis.Db.SortedSetAddAsync(RedisKeys.SandboxesSeen, info.Id, lastBeat.ToUnixTimeMilliseconds());
        await redis.Db.SortedSetAddAsync(RedisKeys.HealthySandboxes, info.Id, lastBeat.ToUnixTimeMilliseconds());
        await using var api = new ApiFactory(redis.ConnectionString);
        using var client = api.CreateClient();

        var detailed = await HealthAnswer.GetAsync(client, "/api/health/detailed");

        var replica = Assert.Single(detailed.Replicas());
        Assert.Equal("unhealthy", replica.GetProperty("status").GetString());
        Assert.StartsWith("no heartbeat for 12", replica.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("3.11.2", replica.GetProperty("runtimes").GetProperty("python").GetString());
        Assert.Equal("v2", replica.GetProperty("isolation").GetProperty("cgroup").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await HealthAnswer.GetAsync(client, "/api/health/ready")).Status);
    }
}
