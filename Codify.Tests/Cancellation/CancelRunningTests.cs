using System.Net;
using Codify.Contracts;
using Codify.Tests.Infrastructure;
using Xunit.Abstractions;
using static Codify.Tests.Cancellation.CancelTestKit;

namespace Codify.Tests.Cancellation;

/// <summary>A running execution is killed within a second of the DELETE, whichever of two Sandbox replicas runs it.</summary>
[ApiTier]
public sealed class CancelRunningTests(ITestOutputHelper output)
{
    /// <summary>The contract is "within a second"; the slack covers a loaded 2-core machine, not a slower design.</summary>
    private static readonly TimeSpan KillBound = TimeSpan.FromMilliseconds(1500);

    [Fact]
    public async Task A_running_execution_on_either_replica_ends_cancelled_within_a_second_with_its_processes_gone()
    {
        await using var redis = await RedisServer.StartAsync();
        // One slot each: two executions at once land on different replicas.
        var oneSlot = new Dictionary<string, string?> { ["MAX_CONCURRENT_EXECUTIONS"] = "1" };
        await using var first = new SandboxFactory(redis.ConnectionString, oneSlot);
        await using var second = new SandboxFactory(redis.ConnectionString, oneSlot);
        _ = first.Server;
        _ = second.Server;
        await using var api = new ApiFactory(redis.ConnectionString);
        using var client = api.CreateClient();
        await Eventually.ReturnsAsync(() => redis.Db.SortedSetLengthAsync(RedisKeys.HealthySandboxes), n => n == 2,
            TimeSpan.FromSeconds(30), "both replicas to advertise themselves");

        var delays = new List<TimeSpan>();
        for (var round = 0; round < 3; round++)
        {
            string[] ids = [await QueueAsync(client, Sleeper), await QueueAsync(client, Sleeper)];
            foreach (var id in ids)
            {
                await WaitUntilProgramRunsAsync(client, id);
            }

            var workers = await Task.WhenAll(ids.Select(async id => (await redis.Db.HashGetAsync(RedisKeys.Execution(id), ExecutionFields.Worker)).ToString()));
            Assert.NotEqual(workers[0], workers[1]);

            foreach (var id in ids)
            {
                var asked = DateTimeOffset.UtcNow;
                var (status, body) = await DeleteAsync(client, id);

                Assert.Equal(HttpStatusCode.OK, status);
                Assert.True(body.Cancelled);
                Assert.Equal(ExecutionStatus.Cancelled, body.Execution.Status);
                Assert.Equal("execution was cancelled", body.Execution.Message);
                Assert.NotNull(body.Execution.StartedAt);
                Assert.Empty(RunProcesses.Of(id));
                var delay = body.Execution.CompletedAt!.Value - asked;
                Assert.True(delay < KillBound, $"execution {id} ended {delay.TotalMilliseconds:F0} ms after the DELETE");
                delays.Add(delay);
            }
        }

        var sorted = delays.Select(d => d.TotalMilliseconds).Order().ToList();
        output.WriteLine($"DELETE → completedAt over {sorted.Count} kills: median {(sorted[2] + sorted[3]) / 2:F0} ms, " +
            $"min {sorted[0]:F0} ms, max {sorted[^1]:F0} ms");
    }
}
