using System.Net.Http.Json;
using System.Text.Json;
using Codify.Contracts;
using Codify.Tests.Api.Admission;
using Codify.Tests.Infrastructure;
using StackExchange.Redis;

namespace Codify.Tests.Api.Waiting;

/// <summary>
/// <c>wait=true</c> answers from the <c>completed</c> event when it carries the final record (no read after it), and
/// reads the record when it does not. The test plays the Sandbox: the job stays in the stream, the record is written here,
/// and the end is announced on the channel every API replica listens to (<see cref="RedisKeys.EndedChannel"/>).
/// </summary>
[ApiTier]
public sealed class WaitFromEventTests
{
    [Fact]
    public async Task The_answer_is_the_record_the_completed_event_carries()
    {
        await using var host = await AdmissionHost.StartAsync();
        using var client = host.AddReplica().CreateClient();
        var answer = client.PostAsJsonAsync("/api/execute?wait=true", AdmissionHost.Program);
        var id = await WaitingRequestAsync(host.Redis);

        // The stored record still says queued: only the event can tell the API the run ended.
        var record = ExecutionRecord.Create(id, ExecutionStatus.Completed, "python", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
            DateTimeOffset.UtcNow, new ExecutionResult { Status = ExecutionStatus.Completed, Stdout = "from the event\n", ExitCode = 0 });
        using var response = await AnnounceUntilAnsweredAsync(host.Redis, id, record, answer);
        var body = (await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!;
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("from the event\n", body.Stdout);
        Assert.Equal(ExecutionStatus.Queued.ToWire(), (await host.Redis.Db.HashGetAsync(RedisKeys.Execution(id), ExecutionFields.Status)).ToString());
    }

    [Fact]
    public async Task A_completed_event_without_a_record_is_answered_by_reading_the_record()
    {
        await using var host = await AdmissionHost.StartAsync();
        using var client = host.AddReplica().CreateClient();
        var answer = client.PostAsJsonAsync("/api/execute?wait=true", AdmissionHost.Program);
        var id = await WaitingRequestAsync(host.Redis);

        var result = new ExecutionResult { Status = ExecutionStatus.Completed, Stdout = "from the record\n", ExitCode = 0 };
        await host.Redis.Db.HashSetAsync(RedisKeys.Execution(id),
        [
            new(ExecutionFields.Status, ExecutionStatus.Completed.ToWire()),
            new(ExecutionFields.Result, JsonSerializer.Serialize(result, CodifyJson.Options)),
            new(ExecutionFields.CompletedAt, DateTimeOffset.UtcNow.ToString("O")),
        ]);
        using var response = await AnnounceUntilAnsweredAsync(host.Redis, id, record: null, answer);
        var body = (await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!;
        Assert.Equal("from the record\n", body.Stdout);
        Assert.Equal(ExecutionStatus.Completed, body.Status);
    }

    /// <summary>The id of the queued job, once the API listens for ends.</summary>
    private static async Task<string> WaitingRequestAsync(RedisServer redis)
    {
        var id = await Eventually.ReturnsAsync(
            async () => (await redis.Db.StreamRangeAsync(RedisKeys.JobStream)).Select(e => e[JobFields.ExecutionId].ToString()).FirstOrDefault(),
            found => found is not null, TimeSpan.FromSeconds(30), "the job in the stream");
        await Eventually.ReturnsAsync(
            async () => (long)(await redis.Db.ExecuteAsync("PUBSUB", "NUMSUB", RedisKeys.EndedChannel))[1],
            subscribers => subscribers > 0, TimeSpan.FromSeconds(30), "the API's subscription to ends");
        return id!;
    }

    /// <summary>
    /// Announces the end until the request answers: the request registers its wait after the job is queued, and an end
    /// announced before that is only seen in the record (which here says queued). Announcing twice is harmless.
    /// </summary>
    private static async Task<HttpResponseMessage> AnnounceUntilAnsweredAsync(
        RedisServer redis, string id, ExecutionRecord? record, Task<HttpResponseMessage> answer)
    {
        var completed = JsonSerializer.Serialize(
            new ExecutionEvent(ExecutionEventType.Completed, id, ExecutionStatus.Completed) { Record = record }, CodifyJson.Options);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!answer.IsCompleted && DateTime.UtcNow < deadline)
        {
            await redis.Connection.GetSubscriber().PublishAsync(RedisChannel.Literal(RedisKeys.EndedChannel), completed);
            await Task.WhenAny(answer, Task.Delay(100));
        }

        return await answer;
    }
}
