using System.Diagnostics;
using Codify.Contracts;
using Codify.Sandbox.Jobs;
using Codify.Tests.Cancellation;
using Codify.Tests.Infrastructure;
using static Codify.Tests.Sandbox.JobsInRedis;

namespace Codify.Tests.Durability;

/// <summary>
/// SIGTERM to a Sandbox: it takes no new job, lets runs under way finish within Sandbox:StopGraceSeconds, ends the rest
/// internal_error saying so, and exits.
/// </summary>
[ApiTier]
public sealed class GracefulStopTests
{
    [Fact]
    public async Task A_stopping_replica_finishes_short_runs_ends_long_ones_with_a_reason_and_takes_nothing_new()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var replica = SandboxProcess.Start(redis.ConnectionString, slots: 3,
            new Dictionary<string, string> { ["Sandbox__StopGraceSeconds"] = "2" });
        await Eventually.ReturnsAsync(() => redis.Db.SortedSetLengthAsync(RedisKeys.HealthySandboxes), n => n == 1, TimeSpan.FromSeconds(60), "the replica to register");
        var shortRun = await EnqueueAsync(redis, ExecutionStatus.Queued, "import time\ntime.sleep(1)\nprint('finished in time')");
        var longRun = await EnqueueAsync(redis, ExecutionStatus.Queued, "import time\ntime.sleep(60)");
        foreach (var id in new[] { shortRun, longRun })
        {
            await Eventually.ReturnsAsync(() => Task.FromResult(RunProcesses.Of(id).Count), n => n > 0, TimeSpan.FromSeconds(60), $"run {id} to start");
        }

        var clock = Stopwatch.StartNew();
        var exited = replica.TerminateAsync();
        // Leaving the registry is the first thing a stopping replica does; from then on it must take nothing.
        await Eventually.ReturnsAsync(() => redis.Db.SortedSetLengthAsync(RedisKeys.HealthySandboxes), n => n == 0, TimeSpan.FromSeconds(5), "the replica to leave the registry");
        var late = await EnqueueAsync(redis, ExecutionStatus.Queued, "print('too late')");
        await exited;

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the replica took {clock.Elapsed} to stop");
        Assert.Equal("completed", await WaitForEndAsync(redis, shortRun));
        Assert.Equal("finished in time\n", (await ReadResultAsync(redis, shortRun)).Stdout);
        Assert.Equal("internal_error", await WaitForEndAsync(redis, longRun));
        Assert.Equal(JobHandler.StoppedMessage(2), (await ReadResultAsync(redis, longRun)).Message);
        Assert.Equal("queued", (await redis.Db.HashGetAsync(RedisKeys.Execution(late), ExecutionFields.Status)).ToString());
        Assert.Empty(RunProcesses.Of(longRun));
    }
}
