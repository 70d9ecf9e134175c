using System.Text.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Executions;
using Codify.Tests.Infrastructure;
using StackExchange.Redis;

namespace Codify.Tests.Api.Waiting;

/// <summary>
/// The API replica's one subscription to ends: every watcher of an execution hears its end (two requests may wait on one
/// execution: the one that created it and a cancel), a watcher that stopped does not take the others with it, and an end of
/// another execution wakes nobody.
/// </summary>
[ApiTier]
public sealed class EndedFeedTests
{
    [Fact]
    public async Task Each_watcher_of_an_execution_hears_its_end_and_no_other()
    {
        await using var redis = await RedisServer.StartAsync();
        using var feed = new EndedFeed(redis.Connection);
        var first = await feed.WatchAsync("a");
        using var second = await feed.WatchAsync("a");
        using var other = await feed.WatchAsync("b");
        first.Dispose(); // the first request answered some other way: the second still waits

        var record = ExecutionRecord.Create("a", ExecutionStatus.Completed, "python", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
            DateTimeOffset.UtcNow, new ExecutionResult { Status = ExecutionStatus.Completed, Stdout = "ended\n", ExitCode = 0 });
        await redis.Connection.GetSubscriber().PublishAsync(RedisChannel.Literal(RedisKeys.EndedChannel),
            JsonSerializer.Serialize(new ExecutionEvent(ExecutionEventType.Completed, "a", ExecutionStatus.Completed) { Record = record }, CodifyJson.Options));

        Assert.Equal("ended\n", (await second.Ended.WaitAsync(TimeSpan.FromSeconds(30)))!.Stdout);
        Assert.False(other.Ended.IsCompleted);
    }

    [Fact]
    public async Task An_end_announced_without_the_record_tells_the_watcher_to_read_it()
    {
        await using var redis = await RedisServer.StartAsync();
        using var feed = new EndedFeed(redis.Connection);
        using var watch = await feed.WatchAsync("c");

        await redis.Connection.GetSubscriber().PublishAsync(RedisChannel.Literal(RedisKeys.EndedChannel),
            JsonSerializer.Serialize(new ExecutionEvent(ExecutionEventType.Completed, "c", ExecutionStatus.Cancelled), CodifyJson.Options));

        Assert.Null(await watch.Ended.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
