using System.Text.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;
using StackExchange.Redis;

namespace Codify.Tests.Sandbox;

/// <summary>Jobs written straight into a test Redis as the API would, and a worker that took one and died.</summary>
internal static class JobsInRedis
{
    public static async Task<string> SeedJobHeldByDeadWorkerAsync(RedisServer redis, ExecutionStatus status, string code)
    {
        await redis.Db.StreamCreateConsumerGroupAsync(RedisKeys.JobStream, RedisKeys.SandboxGroup, StreamPosition.Beginning, createStream: true);
        var id = await EnqueueAsync(redis, status, code);
        // A consumer that reads the entry and then dies: the entry stays pending under its name.
        var taken = await redis.Db.StreamReadGroupAsync(RedisKeys.JobStream, RedisKeys.SandboxGroup, "dead-worker", StreamPosition.NewMessages, 1);
        Assert.Single(taken);
        return id;
    }

    public static async Task<string> EnqueueAsync(RedisServer redis, ExecutionStatus status, string code)
    {
        var id = Guid.NewGuid().ToString("N");
        var spec = new ExecutionSpec("python", code, null, SandboxRunnerFixture.Limits(wallMs: 15_000));
        await redis.Db.HashSetAsync(RedisKeys.Execution(id),
        [
            new(ExecutionFields.Status, status.ToWire()),
            new(ExecutionFields.Language, "python"),
            new(ExecutionFields.Spec, JsonSerializer.Serialize(spec, CodifyJson.Options)),
            new(ExecutionFields.CreatedAt, DateTimeOffset.UtcNow.ToString("O")),
            new(ExecutionFields.Worker, status == ExecutionStatus.Running ? "dead-worker" : ""),
        ]);
        await redis.Db.StreamAddAsync(RedisKeys.JobStream, [new(JobFields.ExecutionId, id)]);
        return id;
    }

    public static async Task<string> WaitForEndAsync(RedisServer redis, string id) =>
        (await Eventually.ReturnsAsync(
            async () => (await redis.Db.HashGetAsync(RedisKeys.Execution(id), ExecutionFields.Status)).ToString(),
            s => s is not ("queued" or "running"), TimeSpan.FromSeconds(30), $"execution {id} to end"))!;

    public static async Task<ExecutionResult> ReadResultAsync(RedisServer redis, string id) =>
        JsonSerializer.Deserialize<ExecutionResult>(
            (await redis.Db.HashGetAsync(RedisKeys.Execution(id), ExecutionFields.Result)).ToString(), CodifyJson.Options)!;
}
