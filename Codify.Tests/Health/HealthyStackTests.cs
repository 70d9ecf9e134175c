using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Health;

/// <summary>With the real Sandbox registered: ready, and the detailed view lists it with its slots, isolation and runtimes.</summary>
[Collection(StackGroup.Name)]
[ApiTier]
public sealed class HealthyStackTests(StackFixture stack)
{
    [Fact]
    public async Task Ready_is_200_and_detailed_lists_the_replica_with_free_slots_isolation_and_runtimes()
    {
        await InstalledRuntimes.WaitUntilPublishedAsync(stack);
        var detailed = await Eventually.ReturnsAsync(
            () => HealthAnswer.GetAsync(stack.Client, "/api/health/detailed"),
            a => a.Replicas().Any(r => r.GetProperty("runtimes").EnumerateObject().Count() == Languages.All.Count),
            TimeSpan.FromSeconds(30), "the replica to publish its runtimes");
        var ready = await HealthAnswer.GetAsync(stack.Client, "/api/health/ready");

        Assert.True(ready.Status == HttpStatusCode.OK, ready.ToString());
        Assert.Equal("ready", ready.Body.GetProperty("status").GetString());
        Assert.True(detailed.Status == HttpStatusCode.OK, detailed.ToString());
        Assert.True(detailed.Body.GetProperty("ready").GetBoolean());
        var replica = Assert.Single(detailed.Replicas());
        Assert.Equal("healthy", replica.GetProperty("status").GetString());
        Assert.Equal(SandboxFactory.Slots, replica.GetProperty("slotsTotal").GetInt32());
        Assert.InRange(replica.GetProperty("slotsFree").GetInt32(), 0, SandboxFactory.Slots);
        var isolation = replica.GetProperty("isolation");
        Assert.Matches("^v[12]$", isolation.GetProperty("cgroup").GetString());
        Assert.Equal("enabled", isolation.GetProperty("seccomp").GetString());
        Assert.Equal(await InstalledRuntimes.VersionOfAsync("/usr/bin/bwrap"), isolation.GetProperty("bubblewrap").GetString());
        Assert.Equal(await InstalledRuntimes.PythonAsync(), replica.GetProperty("runtimes").GetProperty("python").GetString());
        Assert.Equal(await InstalledRuntimes.NodeAsync(), replica.GetProperty("runtimes").GetProperty("javascript").GetString());
        Assert.True(detailed.Check("queue").GetProperty("waiting").GetInt64() >= 0);
        Assert.False(string.IsNullOrEmpty(detailed.Body.GetProperty("versions").GetProperty("redis").GetString()));
    }

    [Fact]
    public async Task A_running_program_takes_a_slot_in_the_published_replica_state()
    {
        using var response = await stack.Client.PostAsJsonAsync("/api/execute",
            new { language = "python", code = "import time\nprint('up', flush=True)\ntime.sleep(60)", timeout = 30 });
        var record = await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options);
        try
        {
            var busy = await Eventually.ReturnsAsync(
                () => HealthAnswer.GetAsync(stack.Client, "/api/health/detailed"),
                a => a.Replicas().Single().GetProperty("running").GetInt32() == 1,
                TimeSpan.FromSeconds(30), "the replica to publish one running program");

            var replica = busy.Replicas().Single();
            Assert.Equal(replica.GetProperty("slotsTotal").GetInt32() - 1, replica.GetProperty("slotsFree").GetInt32());
        }
        finally
        {
            using var _ = await stack.Client.DeleteAsync($"/api/execute/{record!.Id}");
        }

        await Eventually.ReturnsAsync(
            () => HealthAnswer.GetAsync(stack.Client, "/api/health/detailed"),
            a => a.Replicas().Single().GetProperty("slotsFree").GetInt32() == SandboxFactory.Slots,
            TimeSpan.FromSeconds(30), "the slot to be free again");
    }
}
