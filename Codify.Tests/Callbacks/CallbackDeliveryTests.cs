using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;
using StackExchange.Redis;

namespace Codify.Tests.Callbacks;

/// <summary>The real path: API → Redis → Sandbox run → callback stream → one API replica POSTs the signed record.</summary>
[Collection(CallbackStackGroup.Name)]
[ApiTier]
public sealed class CallbackDeliveryTests(CallbackStackFixture stack)
{
    [Fact]
    public async Task The_final_record_is_posted_once_signed_and_identical_to_the_get_answer()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var api = new ApiFactory(stack.Redis.ConnectionString, CallbackStackFixture.Settings());
        using var client = api.CreateClient();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var final = await ExecuteAndWaitAsync(client, "print('called back')", receiver.Url);

        Assert.Equal("delivered", await stack.WaitForCallbackSettledAsync(final.Id));
        var callback = Assert.Single(receiver.Received);
        var body = CallbackStackFixture.Parse(callback);
        Assert.Equal(final.Id, body.Id);
        Assert.Equal(ExecutionStatus.Completed, body.Status);
        Assert.Equal("called back\n", body.Stdout);
        Assert.Equal(await client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{final.Id}", CodifyJson.Options), body);
        Assert.Equal("application/json", callback.ContentType?.Split(';')[0]);
        Assert.True(callback.IsSignedWith(CallbackStackFixture.Secret), "the signature verifies with the shared secret");
        Assert.False(callback.IsSignedWith("some-other-secret-0123456789"), "the signature depends on the secret");
        Assert.InRange(callback.SignedAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task A_receiver_answering_500_first_gets_the_callback_again_and_it_is_delivered_once()
    {
        await using var receiver = await CallbackReceiver.StartAsync(attempt => attempt == 1 ? 500 : 200);
        await using var api = new ApiFactory(stack.Redis.ConnectionString, CallbackStackFixture.Settings());
        using var client = api.CreateClient();

        var final = await ExecuteAndWaitAsync(client, "print('retried')", receiver.Url);

        Assert.Equal("delivered", await stack.WaitForCallbackSettledAsync(final.Id));
        Assert.Collection(receiver.Received,
            first => Assert.Equal(500, first.AnsweredWith),
            second => Assert.Equal(200, second.AnsweredWith));
        Assert.All(receiver.Received, c => Assert.True(c.IsSignedWith(CallbackStackFixture.Secret)));
        Assert.Equal(receiver.Received[0].Body, receiver.Received[1].Body);
        Assert.Equal("retried\n", CallbackStackFixture.Parse(receiver.Received[1]).Stdout);
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_is_given_up_after_the_configured_attempts_and_recorded_as_failed()
    {
        await using var receiver = await CallbackReceiver.StartAsync(_ => 503);
        await using var api = new ApiFactory(stack.Redis.ConnectionString, CallbackStackFixture.Settings());
        using var client = api.CreateClient();

        var final = await ExecuteAndWaitAsync(client, "print(1)", receiver.Url);

        Assert.Equal("failed", await stack.WaitForCallbackSettledAsync(final.Id));
        Assert.Equal(3, receiver.Received.Count); // Callbacks:MaxAttempts in the test settings
    }

    [Fact]
    public async Task With_two_api_replicas_each_callback_is_delivered_exactly_once()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var first = new ApiFactory(stack.Redis.ConnectionString, CallbackStackFixture.Settings());
        await using var second = new ApiFactory(stack.Redis.ConnectionString, CallbackStackFixture.Settings());
        using var firstClient = first.CreateClient();
        using var secondClient = second.CreateClient();

        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await (i % 2 == 0 ? firstClient : secondClient).PostAsJsonAsync("/api/execute",
                new { code = $"print({i})", language = "python", callbackUrl = receiver.Url });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids.Add((await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!.Id);
        }

        foreach (var id in ids)
        {
            Assert.Equal("delivered", await stack.WaitForCallbackSettledAsync(id));
        }

        var delivered = receiver.Received.Select(c => CallbackStackFixture.Parse(c).Id).Order().ToList();
        Assert.Equal(ids.Order().ToList(), delivered);
    }

    [Fact]
    public async Task A_run_without_callbackUrl_queues_no_callback_and_one_with_it_queues_exactly_one()
    {
        // No API replica runs here: what the Sandbox's finish script queued stays in the stream to be read.
        var plain = await SeedQueuedAsync(callbackUrl: null);
        var called = await SeedQueuedAsync(callbackUrl: "http://127.0.0.1:9/never-called");
        try
        {
            await Task.WhenAll(WaitForEndAsync(plain), WaitForEndAsync(called));

            var entries = await stack.Redis.Db.StreamRangeAsync(RedisKeys.CallbackStream);
            var entry = Assert.Single(entries);
            Assert.Equal(called, entry[CallbackQueueScript.ExecutionIdField].ToString());
        }
        finally
        {
            var entries = await stack.Redis.Db.StreamRangeAsync(RedisKeys.CallbackStream);
            await stack.Redis.Db.StreamDeleteAsync(RedisKeys.CallbackStream, [.. entries.Select(e => e.Id)]);
        }
    }

    private static async Task<ExecutionRecord> ExecuteAndWaitAsync(HttpClient client, string code, string callbackUrl)
    {
        using var response = await client.PostAsJsonAsync("/api/execute?wait=true", new { code, language = "python", callbackUrl });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!;
    }

    private async Task<string> SeedQueuedAsync(string? callbackUrl)
    {
        var id = Guid.NewGuid().ToString("N");
        var spec = new ExecutionSpec("python", "print('seeded')", null, Sandbox.SandboxRunnerFixture.Limits());
        var fields = new List<HashEntry>
        {
            new(ExecutionFields.Status, ExecutionStatus.Queued.ToWire()),
            new(ExecutionFields.Language, "python"),
            new(ExecutionFields.Spec, JsonSerializer.Serialize(spec, CodifyJson.Options)),
            new(ExecutionFields.CreatedAt, DateTimeOffset.UtcNow.ToString("O")),
        };
        if (callbackUrl is not null)
        {
            fields.Add(new(ExecutionFields.CallbackUrl, callbackUrl));
        }

        await stack.Redis.Db.HashSetAsync(RedisKeys.Execution(id), [.. fields]);
        await stack.Redis.Db.StreamAddAsync(RedisKeys.JobStream, [new(JobFields.ExecutionId, id)]);
        return id;
    }

    private Task<string> WaitForEndAsync(string id) =>
        Eventually.ReturnsAsync(
            async () => (await stack.Redis.Db.HashGetAsync(RedisKeys.Execution(id), ExecutionFields.Status)).ToString(),
            s => s is not ("queued" or "running"), TimeSpan.FromSeconds(30), $"execution {id} to end");
}
