using System.Text.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;
using StackExchange.Redis;

namespace Codify.Tests.Callbacks;

/// <summary>An API replica that dies holding a callback does not lose it, and a settled one is not sent again.</summary>
[ApiTier]
public sealed class CallbackReclaimTests
{
    [Fact]
    public async Task A_callback_held_by_a_dead_replica_is_reclaimed_and_delivered_once_and_a_settled_one_is_not_resent()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var receiver = await CallbackReceiver.StartAsync();
        await redis.Db.StreamCreateConsumerGroupAsync(RedisKeys.CallbackStream, RedisKeys.CallbackGroup, StreamPosition.Beginning, createStream: true);
        var pending = await SeedFinishedAsync(redis, receiver.Url, settled: null);
        var alreadyDelivered = await SeedFinishedAsync(redis, receiver.Url, settled: "delivered");
        // A replica that read both entries and died: they stay pending under its name.
        var taken = await redis.Db.StreamReadGroupAsync(RedisKeys.CallbackStream, RedisKeys.CallbackGroup, "dead-api", StreamPosition.NewMessages, 10);
        Assert.Equal(2, taken.Length);

        var settings = CallbackStackFixture.Settings();
        settings["Callbacks:ReclaimIdleSeconds"] = "2";
        settings["Callbacks:AttemptTimeoutSeconds"] = "1";
        settings["Callbacks:TotalTimeoutSeconds"] = "1";
        await using var api = new ApiFactory(redis.ConnectionString, settings);
        _ = api.Server;

        Assert.Equal("delivered", await CallbackStackFixture.WaitForCallbackSettledAsync(redis, pending));
        await Eventually.ReturnsAsync(async () => (await redis.Db.StreamPendingAsync(RedisKeys.CallbackStream, RedisKeys.CallbackGroup)).PendingMessageCount,
            n => n == 0, TimeSpan.FromSeconds(30), "every pending callback entry to be handled");
        var callback = Assert.Single(receiver.Received);
        Assert.Equal(pending, CallbackStackFixture.Parse(callback).Id);
        Assert.Equal("delivered", (await redis.Db.HashGetAsync(RedisKeys.Execution(alreadyDelivered), ExecutionFields.CallbackStatus)).ToString());
    }

    private static async Task<string> SeedFinishedAsync(RedisServer redis, string callbackUrl, string? settled)
    {
        var id = Guid.NewGuid().ToString("N");
        var result = new ExecutionResult { Status = ExecutionStatus.Completed, Stdout = "reclaimed\n", ExitCode = 0, WallTimeMs = 12 };
        var now = DateTimeOffset.UtcNow.ToString("O");
        await redis.Db.HashSetAsync(RedisKeys.Execution(id),
        [
            new(ExecutionFields.Status, ExecutionStatus.Completed.ToWire()),
            new(ExecutionFields.Language, "python"),
            new(ExecutionFields.CreatedAt, now),
            new(ExecutionFields.StartedAt, now),
            new(ExecutionFields.CompletedAt, now),
            new(ExecutionFields.Result, JsonSerializer.Serialize(result, CodifyJson.Options)),
            new(ExecutionFields.CallbackUrl, callbackUrl),
        ]);
        if (settled is not null)
        {
            await redis.Db.HashSetAsync(RedisKeys.Execution(id), ExecutionFields.CallbackStatus, settled);
        }

        await redis.Db.StreamAddAsync(RedisKeys.CallbackStream, [new(CallbackQueueScript.ExecutionIdField, id)]);
        return id;
    }
}
