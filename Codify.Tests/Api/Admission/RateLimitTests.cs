using System.Net;
using System.Net.Http.Json;
using Codify.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Codify.Tests.Api.Admission;

/// <summary>RATE_LIMIT_POINTS per RATE_LIMIT_DURATION per client, counted in Redis and therefore shared by every API replica.</summary>
[ApiTier]
public sealed class RateLimitTests
{
    private static Dictionary<string, string?> Limit(int points, int seconds = 600) => new()
    {
        ["RATE_LIMIT_POINTS"] = points.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RATE_LIMIT_DURATION"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task After_the_points_are_spent_the_api_answers_429_with_retry_after_and_ratelimit_headers()
    {
        await using var host = await AdmissionHost.StartAsync();
        using var client = host.AddReplica(Limit(3)).CreateClient();

        for (var remaining = 2; remaining >= 0; remaining--)
        {
            using var accepted = await AdmissionHost.ExecuteAsync(client);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            Assert.Equal("3", Header(accepted, "RateLimit-Limit"));
            Assert.Equal(remaining.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(accepted, "RateLimit-Remaining"));
            Assert.Equal("3;w=600", Header(accepted, "RateLimit-Policy"));
        }

        using var rejected = await AdmissionHost.ExecuteAsync(client);

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType!.MediaType);
        var retryAfter = rejected.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        Assert.InRange(retryAfter, 1, 600);
        Assert.Equal("0", Header(rejected, "RateLimit-Remaining"));
        Assert.Equal(retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(rejected, "RateLimit-Reset"));
        var problem = await rejected.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal(429, problem!.Status);
        Assert.Contains("RATE_LIMIT_POINTS", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(3, await host.Redis.Db.StreamLengthAsync(Contracts.RedisKeys.JobStream));
    }

    [Fact]
    public async Task Piston_executions_and_batches_spend_the_same_budget()
    {
        await using var host = await AdmissionHost.StartAsync();
        using var client = host.AddReplica(Limit(2)).CreateClient();

        using var first = await AdmissionHost.ExecuteAsync(client);
        using var batch = await client.PostAsJsonAsync("/api/execute/batch", new { executions = new[] { new { code = "print(1)", language = "python" } } });
        using var piston = await client.PostAsJsonAsync("/api/v2/execute", new { language = "python", version = "*", files = new[] { new { content = "print(1)" } } });

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, batch.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, piston.StatusCode);
    }

    [Fact]
    public async Task Each_api_key_has_its_own_budget()
    {
        const string First = "first-key-0123456789", Second = "second-key-0123456789";
        await using var host = await AdmissionHost.StartAsync();
        var settings = Limit(2);
        settings["API_KEYS"] = $"{First},{Second}";
        using var client = host.AddReplica(settings).CreateClient();

        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(client, First));
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(client, First));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(client, First));

        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(client, Second));
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(client, Second));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(client, Second));
    }

    [Fact]
    public async Task Each_client_address_has_its_own_budget()
    {
        await using var host = await AdmissionHost.StartAsync();
        var api = host.AddReplica(Limit(1));
        api.UseKestrel(0);
        api.StartServer();
        using var fromOne = ClientFrom(IPAddress.Parse("127.0.0.1"), api);
        using var fromTwo = ClientFrom(IPAddress.Parse("127.0.0.2"), api);

        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(fromOne));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(fromOne));
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(fromTwo));
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(fromTwo));
    }

    [Fact]
    public async Task Reads_are_not_rate_limited()
    {
        await using var host = await AdmissionHost.StartAsync();
        using var client = host.AddReplica(Limit(1)).CreateClient();
        using var accepted = await AdmissionHost.ExecuteAsync(client);
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(client));

        for (var i = 0; i < 5; i++)
        {
            using var read = await client.GetAsync(accepted.Headers.Location);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.False(read.Headers.Contains("RateLimit-Limit"));
        }
    }

    [Fact]
    public async Task The_budget_comes_back_when_the_window_ends()
    {
        await using var host = await AdmissionHost.StartAsync();
        using var client = host.AddReplica(Limit(1, seconds: 1)).CreateClient();
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(client));

        // Rejected at first (the window is 1 s, but requests on a busy machine can take that long themselves).
        await Eventually.ReturnsAsync(() => StatusAsync(client), s => s == HttpStatusCode.TooManyRequests,
            TimeSpan.FromSeconds(10), "a second request inside the window to be refused");
        await Eventually.ReturnsAsync(() => StatusAsync(client), s => s == HttpStatusCode.Accepted,
            TimeSpan.FromSeconds(10), "the budget to come back after the window");
    }

    [Fact]
    public async Task Two_replicas_share_one_budget_under_concurrent_load()
    {
        await using var host = await AdmissionHost.StartAsync();
        var replicas = new[] { host.AddReplica(Limit(10)), host.AddReplica(Limit(10)) };
        var clients = replicas.Select(r => r.CreateClient()).ToArray();
        try
        {
            // 20 requests at once, alternating between the replicas.
            using var start = new SemaphoreSlim(0);
            var requests = Enumerable.Range(0, 20).Select(async i =>
            {
                await start.WaitAsync();
                return await StatusAsync(clients[i % 2]);
            }).ToArray();
            start.Release(requests.Length);
            var statuses = await Task.WhenAll(requests);

            Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.Accepted));
            Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
            Assert.Equal(10, await host.Redis.Db.StreamLengthAsync(Contracts.RedisKeys.JobStream));
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    [Fact]
    public async Task Without_redis_the_limiter_answers_503_with_a_problem_instead_of_failing()
    {
        await using var host = await AdmissionHost.StartAsync();
        using var client = host.AddReplica(Limit(5)).CreateClient();
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync(client));
        try
        {
            await host.Redis.Db.ExecuteAsync("SHUTDOWN", "NOSAVE");
        }
        catch (StackExchange.Redis.RedisConnectionException)
        {
            // The server closes the connection as it stops.
        }

        using var response = await AdmissionHost.ExecuteAsync(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string? apiKey = null)
    {
        using var response = await AdmissionHost.ExecuteAsync(client, apiKey);
        return response.StatusCode;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static HttpClient ClientFrom(IPAddress local, ApiFactory api)
    {
        using var probe = api.CreateClient();
        return LoopbackClient.From(local, probe.BaseAddress!);
    }
}
