using Codify.Contracts;
using Codify.Tests.Infrastructure;
using static Codify.Tests.Sandbox.JobsInRedis;

namespace Codify.Tests.Sandbox;

/// <summary>No execution stays queued or running forever when the worker holding it dies.</summary>
[ApiTier]
public sealed class ReclaimTests
{
    [Fact]
    public async Task A_job_taken_by_a_dead_worker_but_never_started_is_reclaimed_and_runs()
    {
        await using var redis = await RedisServer.StartAsync();
        var id = await SeedJobHeldByDeadWorkerAsync(redis, ExecutionStatus.Queued, "print('rescued')");
        await using var sandbox = new SandboxFactory(redis.ConnectionString);
        _ = sandbox.Server;

        var status = await WaitForEndAsync(redis, id);

        Assert.Equal("completed", status);
        var result = await ReadResultAsync(redis, id);
        Assert.Equal("rescued\n", result.Stdout);
        Assert.Equal(0, (await redis.Db.StreamPendingAsync(RedisKeys.JobStream, RedisKeys.SandboxGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task A_job_that_had_started_on_a_dead_worker_ends_as_internal_error_with_a_reason()
    {
        await using var redis = await RedisServer.StartAsync();
        var id = await SeedJobHeldByDeadWorkerAsync(redis, ExecutionStatus.Running, "print('never again')");
        await using var sandbox = new SandboxFactory(redis.ConnectionString);
        _ = sandbox.Server;

        var status = await WaitForEndAsync(redis, id);

        Assert.Equal("internal_error", status);
        var result = await ReadResultAsync(redis, id);
        Assert.Contains("worker lost", result.Message, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task A_live_job_running_longer_than_the_reclaim_idle_time_is_not_taken_by_another_replica()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var first = new SandboxFactory(redis.ConnectionString);
        await using var second = new SandboxFactory(redis.ConnectionString);
        _ = first.Server;
        _ = second.Server;
        await Eventually.ReturnsAsync(() => redis.Db.SortedSetLengthAsync(RedisKeys.HealthySandboxes), n => n == 2,
            TimeSpan.FromSeconds(30), "both replicas to advertise themselves");

        // Runs 5 s, well past the 3 s reclaim idle time the test factories use.
        var id = await EnqueueAsync(redis, ExecutionStatus.Queued, "import time\ntime.sleep(5)\nprint('done')");

        Assert.Equal("completed", await WaitForEndAsync(redis, id));
        Assert.Equal("done\n", (await ReadResultAsync(redis, id)).Stdout);
    }
}
