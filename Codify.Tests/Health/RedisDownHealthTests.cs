using System.Net;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Health;

/// <summary>With Redis gone, every health path answers at once (200 or 503, never 500) and says Redis is down.</summary>
[ApiTier]
public sealed class RedisDownHealthTests
{
    /// <summary>The Redis client's own timeout: an answer slower than this waited for the client instead of the check's bound.</summary>
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Stopping_redis_turns_ready_and_detailed_to_503_quickly_while_the_basic_health_stays_200()
    {
        var redis = await RedisServer.StartAsync();
        await using var api = new ApiFactory(redis.ConnectionString, new Dictionary<string, string?> { ["Health:RedisTimeoutMs"] = "300" });
        using var client = api.CreateClient();
        try
        {
            // A heartbeat an hour ahead stands for a healthy sandbox: only Redis decides here.
            await redis.Db.SortedSetAddAsync(RedisKeys.HealthySandboxes, "test-heartbeat", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds());
            var before = await HealthAnswer.GetAsync(client, "/api/health/detailed");
            Assert.True(before.Status == HttpStatusCode.OK, before.ToString());
            Assert.Equal("healthy", before.CheckStatus("redis"));
            Assert.True(before.Check("redis").GetProperty("latencyMs").GetDouble() >= 0);
            Assert.Equal(HttpStatusCode.OK, (await HealthAnswer.GetAsync(client, "/api/health/ready")).Status);
        }
        finally
        {
            await redis.DisposeAsync(); // kills redis-server
        }

        var ready = await HealthAnswer.GetAsync(client, "/api/health/ready");
        var detailed = await HealthAnswer.GetAsync(client, "/api/health/detailed");
        var basic = await HealthAnswer.GetAsync(client, "/api/health");
        var stats = await HealthAnswer.GetAsync(client, "/api/stats");

        Assert.True(ready.Status == HttpStatusCode.ServiceUnavailable, ready.ToString());
        Assert.Equal("not_ready", ready.Body.GetProperty("status").GetString());
        Assert.StartsWith("redis: PING failed: ", ready.Body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(ready.Body.GetProperty("reason").GetString()!.Length < 400, "reasons stay short: " + ready);
        Assert.Equal("5", ready.RetryAfter);

        Assert.True(detailed.Status == HttpStatusCode.ServiceUnavailable, detailed.ToString());
        Assert.Equal("unhealthy", detailed.Body.GetProperty("status").GetString());
        Assert.Equal("unhealthy", detailed.CheckStatus("redis"));
        Assert.False(detailed.Body.GetProperty("ready").GetBoolean());
        Assert.True(detailed.Body.GetProperty("uptimeSeconds").GetDouble() > 0);

        Assert.True(basic.Status == HttpStatusCode.OK, basic.ToString());
        Assert.Equal("healthy", basic.Body.GetProperty("status").GetString());

        Assert.True(stats.Status == HttpStatusCode.ServiceUnavailable, stats.ToString());
        Assert.Equal("Statistics unavailable", stats.Body.GetProperty("title").GetString());

        Assert.All([ready, detailed, basic, stats], a => Assert.True(a.Took < ClientTimeout, $"{a} took {a.Took}"));
    }
}
