using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;
using StackExchange.Redis;

namespace Codify.Tests.Api.Waiting;

/// <summary>The Sandbox publishes the final record on the <c>completed</c> event: exactly what a read returns; the log keeps the event small.</summary>
[Collection(StackGroup.Name)]
[ApiTier]
public sealed class CompletedEventRecordTests(StackFixture stack)
{
    [Fact]
    public async Task The_published_completed_event_carries_the_record_a_read_returns()
    {
        var published = new ConcurrentQueue<string>();
        var subscriber = stack.Redis.Connection.GetSubscriber();
        var channel = RedisChannel.Pattern(RedisKeys.Events("*"));
        await subscriber.SubscribeAsync(channel, (_, message) => published.Enqueue(message.ToString()));
        try
        {
            var waited = await stack.ExecuteAndWaitAsync(new { language = "python", code = "print('carried')" });
            var read = await stack.Client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{waited.Id}", CodifyJson.Options);

            var completed = await Eventually.ReturnsAsync(
                () => Task.FromResult(published.Select(m => JsonSerializer.Deserialize<ExecutionEvent>(m, CodifyJson.Options)!)
                    .FirstOrDefault(e => e.ExecutionId == waited.Id && e.Type == ExecutionEventType.Completed)),
                e => e is not null, TimeSpan.FromSeconds(10), "the completed event");
            Assert.Equal(read, completed!.Record);
            Assert.Equal(read, waited);
            Assert.Equal("carried\n", read!.Stdout);

            var logged = (await stack.Redis.Db.StreamRangeAsync(RedisKeys.EventsLog(waited.Id)))
                .Select(e => JsonSerializer.Deserialize<ExecutionEvent>(e[EventLogScript.EventField].ToString(), CodifyJson.Options)!)
                .Single(e => e.Type == ExecutionEventType.Completed);
            Assert.Equal(completed.Sequence, logged.Sequence);
            Assert.Null(logged.Record);
        }
        finally
        {
            await subscriber.UnsubscribeAsync(channel);
        }
    }
}
