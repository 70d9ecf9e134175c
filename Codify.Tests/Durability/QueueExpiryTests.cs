using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Expiry;
using Codify.Tests.Infrastructure;
using static Codify.Tests.Sandbox.JobsInRedis;

namespace Codify.Tests.Durability;

/// <summary>
/// An execution no sandbox takes within Executions:MaxQueueWaitSeconds ends internal_error saying so, once, whichever API
/// replica sees it first; one running on a replica that went silent, with no survivor to reclaim it, ends "worker lost".
/// </summary>
[ApiTier]
public sealed class QueueExpiryTests
{
    [Fact]
    public async Task A_job_nobody_takes_ends_with_a_message_and_leaves_the_queue_while_a_fresh_one_waits()
    {
        await using var redis = await RedisServer.StartAsync();
        // A heartbeat an hour ahead: the API accepts work, but no sandbox ever serves it.
        await redis.Db.SortedSetAddAsync(RedisKeys.HealthySandboxes, "test-heartbeat", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds());
        var settings = new Dictionary<string, string?> { ["Executions:MaxQueueWaitSeconds"] = "1" };
        await using var first = new ApiFactory(redis.ConnectionString, settings);
        await using var second = new ApiFactory(redis.ConnectionString, settings); // two API replicas expire side by side
        using var client = first.CreateClient();
        _ = second.Server;

        using var response = await client.PostAsJsonAsync("/api/execute", new { code = "print(1)", language = "python" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!.Id;
        Assert.Equal(ExecutionStatus.Queued, (await client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{id}", CodifyJson.Options))!.Status);

        var ended = await Eventually.ReturnsAsync(() => client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{id}", CodifyJson.Options),
            r => r!.Status.IsTerminal(), TimeSpan.FromSeconds(10), "the overdue execution to end");

        Assert.Equal(ExecutionStatus.InternalError, ended!.Status);
        Assert.Equal(QueueExpiry.Message(1), ended.Message);
        Assert.Null(ended.StartedAt);
        await Eventually.ReturnsAsync(() => redis.Db.StreamLengthAsync(RedisKeys.JobStream), n => n == 0, TimeSpan.FromSeconds(5), "the job to leave the stream");
        // Ended once: one completed event in its log, not one per API replica.
        var events = await redis.Db.StreamRangeAsync(RedisKeys.EventsLog(id));
        Assert.Single(events, e => e.Values.Any(v => v.Value.ToString().Contains("\"completed\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_running_job_whose_replica_went_silent_with_no_survivor_ends_lost_while_a_live_replicas_job_runs_on()
    {
        await using var redis = await RedisServer.StartAsync();
        var orphan = await SeedJobHeldByDeadWorkerAsync(redis, ExecutionStatus.Running, "print('never again')");
        var alive = await EnqueueAsync(redis, ExecutionStatus.Running, "print('still going')");
        await redis.Db.HashSetAsync(RedisKeys.Execution(alive), ExecutionFields.Worker, "live-worker");
        await redis.Db.SortedSetAddAsync(RedisKeys.SandboxesSeen, "live-worker", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds());
        await using var api = new ApiFactory(redis.ConnectionString, new Dictionary<string, string?> { ["Executions:MaxQueueWaitSeconds"] = "1" });
        _ = api.Server;

        Assert.Equal("internal_error", await WaitForEndAsync(redis, orphan));
        Assert.Equal(LostWorker.Message, (await ReadResultAsync(redis, orphan)).Message);
        Assert.Equal(1, await redis.Db.StreamLengthAsync(RedisKeys.JobStream)); // the live one's entry stays
        Assert.Equal("running", (await redis.Db.HashGetAsync(RedisKeys.Execution(alive), ExecutionFields.Status)).ToString());
    }
}
