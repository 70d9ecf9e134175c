using System.Net.Http.Json;
using System.Text.Json;
using Codify.Contracts;
using Codify.Tests.Api.Admission;
using Codify.Tests.Infrastructure;
using StackExchange.Redis;

namespace Codify.Tests.Api.Waiting;

/// <summary>
/// <c>wait=true</c> answers from the <c>completed</c> event when it carries the final record (no read after it), and
/// reads the record when it does not. The test plays the Sandbox: the job stays in the stream, the record is written here.
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
        await PublishCompletedAsync(host.Redis, id, record);

        using var response = await answer;
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
        await PublishCompletedAsync(host.Redis, id, record: null);

        using var response = await answer;
        var body = (await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!;
        Assert.Equal("from the record\n", body.Stdout);
        Assert.Equal(ExecutionStatus.Completed, body.Status);
    }

    /// <summary>The id of the queued job, once the API waiting for it has subscribed to its events.</summary>
    private static async Task<string> WaitingRequestAsync(RedisServer redis)
    {
        var id = await Eventually.ReturnsAsync(
            async () => (await redis.Db.StreamRangeAsync(RedisKeys.JobStream)).Select(e => e[JobFields.ExecutionId].ToString()).FirstOrDefault(),
            found => found is not null, TimeSpan.FromSeconds(30), "the job in the stream");
        await Eventually.ReturnsAsync(
            async () => (long)(await redis.Db.ExecuteAsync("PUBSUB", "NUMSUB", RedisKeys.Events(id!)))[1],
            subscribers => subscribers > 0, TimeSpan.FromSeconds(30), "the waiting request's subscription");
        return id!;
    }

    private static Task<long> PublishCompletedAsync(RedisServer redis, string id, ExecutionRecord? record) =>
        redis.Connection.GetSubscriber().PublishAsync(RedisChannel.Literal(RedisKeys.Events(id)),
            JsonSerializer.Serialize(new ExecutionEvent(ExecutionEventType.Completed, id, ExecutionStatus.Completed) { Sequence = 3, Record = record }, CodifyJson.Options));
}
