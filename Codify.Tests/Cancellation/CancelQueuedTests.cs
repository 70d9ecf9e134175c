using System.Net;
using Codify.Contracts;
using Codify.Tests.Infrastructure;
using static Codify.Tests.Cancellation.CancelTestKit;

namespace Codify.Tests.Cancellation;

/// <summary>A queued execution that is cancelled never runs, even once a worker gets to its job.</summary>
[ApiTier]
public sealed class CancelQueuedTests
{
    [Fact]
    public async Task A_queued_execution_ends_cancelled_and_its_program_never_runs()
    {
        await using var redis = await RedisServer.StartAsync();
        // One slot, kept busy: the next execution has to wait in the queue.
        await using var sandbox = new SandboxFactory(redis.ConnectionString, new Dictionary<string, string?> { ["MAX_CONCURRENT_EXECUTIONS"] = "1" });
        _ = sandbox.Server;
        await using var api = new ApiFactory(redis.ConnectionString);
        using var client = api.CreateClient();
        await Eventually.ReturnsAsync(() => redis.Db.SortedSetLengthAsync(RedisKeys.HealthySandboxes), n => n > 0,
            TimeSpan.FromSeconds(30), "the sandbox heartbeat");
        var busy = await QueueAsync(client, Sleeper);
        await WaitUntilProgramRunsAsync(client, busy);

        var waiting = await QueueAsync(client, "print('this program ran')");
        Assert.Equal(ExecutionStatus.Queued, (await GetAsync(client, waiting)).Status);
        var (status, body) = await DeleteAsync(client, waiting);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.Cancelled);
        Assert.Equal("cancelled before it started", body.Message);
        Assert.Equal(ExecutionStatus.Cancelled, body.Execution.Status);
        Assert.Null(body.Execution.StartedAt);
        Assert.NotNull(body.Execution.CompletedAt);

        // Free the slot: the worker now reads the cancelled job, must skip it, and acknowledges (deletes) the entry.
        Assert.True((await DeleteAsync(client, busy)).Body.Cancelled);
        await Eventually.ReturnsAsync(() => redis.Db.StreamLengthAsync(RedisKeys.JobStream), n => n == 0,
            TimeSpan.FromSeconds(30), "the worker to take and acknowledge the cancelled job");

        var after = await GetAsync(client, waiting);
        Assert.Equal(body.Execution, after);
        Assert.Null(after.StartedAt);
        Assert.True(string.IsNullOrEmpty(after.Stdout));
        Assert.False(await redis.Db.HashExistsAsync(RedisKeys.Execution(waiting), ExecutionFields.Worker));
        Assert.Empty(RunProcesses.Of(waiting));
    }
}
