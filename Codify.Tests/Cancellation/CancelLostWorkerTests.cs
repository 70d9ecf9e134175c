using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Cancellation;
using Codify.Tests.Infrastructure;
using Codify.Tests.Sandbox;
using StackExchange.Redis;
using static Codify.Tests.Cancellation.CancelTestKit;

namespace Codify.Tests.Cancellation;

/// <summary>A running execution whose worker died: the DELETE cannot finish the kill, says so, and the reclaim honours it.</summary>
[ApiTier]
public sealed class CancelLostWorkerTests
{
    [Fact]
    public async Task Delete_answers_202_while_nobody_kills_it_and_the_reclaim_ends_it_cancelled()
    {
        await using var redis = await RedisServer.StartAsync();
        var id = await SeedRunningOnDeadWorkerAsync(redis);
        await using var api = new ApiFactory(redis.ConnectionString, new Dictionary<string, string?> { ["Cancellation:WaitMilliseconds"] = "300" });
        using var client = api.CreateClient();

        using var response = await client.DeleteAsync($"/api/execute/{id}");
        var body = (await response.Content.ReadFromJsonAsync<CancelResponse>(CodifyJson.Options))!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/execute/{id}", response.Headers.Location?.OriginalString);
        Assert.False(body.Cancelled);
        Assert.StartsWith("cancel requested", body.Message, StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.Running, body.Execution.Status);
        Assert.True(await redis.Db.HashExistsAsync(RedisKeys.Execution(id), ExecutionFields.CancelRequested));

        // A replica comes up, reclaims the dead worker's entry and, since a cancel was asked, ends it cancelled.
        await using var sandbox = new SandboxFactory(redis.ConnectionString);
        _ = sandbox.Server;
        var final = await Eventually.ReturnsAsync(() => GetAsync(client, id), r => r.Status.IsTerminal(),
            TimeSpan.FromSeconds(30), "the reclaim to end the execution");
        Assert.Equal(ExecutionStatus.Cancelled, final.Status);
        Assert.Equal("cancelled; the sandbox worker running it was lost", final.Message);
        var (status, again) = await DeleteAsync(client, id);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(again.Cancelled);
        Assert.Equal("already cancelled; nothing to do", again.Message);
    }

    private static async Task<string> SeedRunningOnDeadWorkerAsync(RedisServer redis)
    {
        var id = Guid.NewGuid().ToString("N");
        var spec = new ExecutionSpec("python", "print('never again')", null, SandboxRunnerFixture.Limits(wallMs: 15_000));
        await redis.Db.StreamCreateConsumerGroupAsync(RedisKeys.JobStream, RedisKeys.SandboxGroup, StreamPosition.Beginning, createStream: true);
        await redis.Db.HashSetAsync(RedisKeys.Execution(id),
        [
            new(ExecutionFields.Status, ExecutionStatus.Running.ToWire()),
            new(ExecutionFields.Language, "python"),
            new(ExecutionFields.Spec, JsonSerializer.Serialize(spec, CodifyJson.Options)),
            new(ExecutionFields.CreatedAt, DateTimeOffset.UtcNow.ToString("O")),
            new(ExecutionFields.StartedAt, DateTimeOffset.UtcNow.ToString("O")),
            new(ExecutionFields.Worker, "dead-worker"),
        ]);
        await redis.Db.StreamAddAsync(RedisKeys.JobStream, [new(JobFields.ExecutionId, id)]);
        // The consumer that took the entry and then died: it stays pending under its name until reclaimed.
        Assert.Single(await redis.Db.StreamReadGroupAsync(RedisKeys.JobStream, RedisKeys.SandboxGroup, "dead-worker", StreamPosition.NewMessages, 1));
        return id;
    }
}
