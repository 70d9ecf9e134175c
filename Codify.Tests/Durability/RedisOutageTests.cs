using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Durability;

/// <summary>
/// Redis paused (SIGSTOP) or killed under a running API and Sandbox: every endpoint answers 503 + Retry-After within
/// about a second, never 500; once Redis is back, both services go on without a restart.
/// </summary>
[ApiTier]
public sealed class RedisOutageTests : IDisposable
{
    /// <summary>The 1 s Redis timeout plus the client's heartbeat and a loaded machine's slack; the library's own was 5 s.</summary>
    private static readonly TimeSpan Answered = TimeSpan.FromSeconds(2);

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("codify-redis-data-");

    [Fact]
    public async Task Every_endpoint_answers_503_quickly_while_redis_is_paused_or_gone_and_work_flows_again_after()
    {
        await using var redis = await RedisServer.StartDurableAsync(_data.FullName);
        await using var sandbox = new SandboxFactory(redis.ConnectionString);
        _ = sandbox.Server;
        await using var api = new ApiFactory(redis.ConnectionString);
        using var client = api.CreateClient();
        var known = await RunAsync(client, "print('before')", "before\n");

        redis.Pause();
        await AssertEveryEndpointRefusesQuicklyAsync(client, known);
        redis.Resume();
        await RunAsync(client, "print('after a pause')", "after a pause\n");

        await redis.KillAsync();
        await AssertEveryEndpointRefusesQuicklyAsync(client, known);
        await redis.StartAgainAsync();
        await RunAsync(client, "print('after a restart')", "after a restart\n");
        Assert.Equal(ExecutionStatus.Completed, (await client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{known}", CodifyJson.Options))!.Status);
    }

    [Fact]
    public async Task A_redis_that_comes_back_empty_gets_its_consumer_groups_and_registrations_again()
    {
        await using var redis = await RedisServer.StartAsync(); // no persistence: a restart loses everything
        await using var sandbox = new SandboxFactory(redis.ConnectionString);
        _ = sandbox.Server;
        await using var api = new ApiFactory(redis.ConnectionString);
        using var client = api.CreateClient();
        await RunAsync(client, "print('before')", "before\n");

        await redis.KillAsync();
        await redis.StartAgainAsync();

        await RunAsync(client, "print('on an empty redis')", "on an empty redis\n");
    }

    private static async Task AssertEveryEndpointRefusesQuicklyAsync(HttpClient client, string known)
    {
        var answers = await Task.WhenAll(
            TimedAnswer.SendAsync(client, HttpMethod.Get, $"/api/execute/{known}"),
            TimedAnswer.SendAsync(client, HttpMethod.Get, "/api/execute"),
            TimedAnswer.SendAsync(client, HttpMethod.Post, "/api/execute", new { code = "print(1)", language = "python" }),
            TimedAnswer.SendAsync(client, HttpMethod.Delete, $"/api/execute/{known}"),
            TimedAnswer.SendAsync(client, HttpMethod.Get, "/api/stats"),
            TimedAnswer.SendAsync(client, HttpMethod.Get, "/api/health/ready"));

        Assert.All(answers, a =>
        {
            Assert.True(a.Status == HttpStatusCode.ServiceUnavailable, a.ToString());
            Assert.True(a.Took < Answered, a.ToString());
            Assert.NotNull(a.RetryAfter);
        });
        Assert.All(answers[..5], a => Assert.True(a.ContentType == "application/problem+json", a.ToString()));
        Assert.Contains("Redis", answers[0].Body, StringComparison.Ordinal);
        // The intake's refusal says which failure it was: a lost connection or an answer that did not come in time.
        Assert.Matches(@"does not answer \((no connection to Redis|Redis did not answer within \d+ ms)", answers[2].Body);
        Assert.Contains("redis: PING failed", answers[5].Body, StringComparison.Ordinal);
    }

    /// <summary>Posts and waits for the result; tolerant of the first 503s while the services reconnect.</summary>
    private static async Task<string> RunAsync(HttpClient client, string code, string expectedStdout)
    {
        var accepted = await Eventually.ReturnsAsync(
            () => TimedAnswer.SendAsync(client, HttpMethod.Post, "/api/execute", new { code, language = "python" }),
            a => a.Status == HttpStatusCode.Accepted, TimeSpan.FromSeconds(15), "the API to accept work again");
        var id = System.Text.Json.JsonDocument.Parse(accepted.Body).RootElement.GetProperty("id").GetString()!;
        var final = await Eventually.ReturnsAsync(
            () => client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{id}", CodifyJson.Options),
            r => r!.Status.IsTerminal(), TimeSpan.FromSeconds(30), $"execution {id} to end");
        Assert.Equal(ExecutionStatus.Completed, final!.Status);
        Assert.Equal(expectedStdout, final.Stdout);
        return id;
    }

    public void Dispose() => _data.Delete(recursive: true);
}
