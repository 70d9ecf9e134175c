using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Api;

/// <summary>With no sandbox able to isolate, the API refuses work at once instead of queueing it forever.</summary>
[ApiTier]
public sealed class NoSandboxTests
{
    [Fact]
    public async Task Without_a_healthy_sandbox_the_api_answers_503_and_queues_nothing()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var api = new ApiFactory(redis.ConnectionString);
        using var client = api.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/execute", new { code = "print(1)", language = "python" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.False(await redis.Db.KeyExistsAsync(RedisKeys.JobStream));
    }

    [Fact]
    public async Task A_stale_heartbeat_does_not_count_as_a_healthy_sandbox()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.Db.SortedSetAddAsync(RedisKeys.HealthySandboxes, "long-gone", DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());
        await using var api = new ApiFactory(redis.ConnectionString);
        using var client = api.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/execute", new { code = "print(1)", language = "python" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task A_sandbox_that_cannot_isolate_is_unhealthy_and_never_advertised()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var sandbox = new SandboxFactory(redis.ConnectionString, new Dictionary<string, string?>
        {
            ["Isolation:BubblewrapPath"] = "/nonexistent/bwrap",
        });
        using var client = sandbox.CreateClient();

        // Unhealthy from the start ("not probed yet"); the probe then names the missing piece.
        var health = await Eventually.ReturnsAsync(
            async () =>
            {
                using var response = await client.GetAsync("/health");
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
            },
            h => h.Body.Contains("/nonexistent/bwrap is missing", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "the sandbox health check to name the missing bubblewrap");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(0, await redis.Db.SortedSetLengthAsync(RedisKeys.HealthySandboxes));
    }
}
