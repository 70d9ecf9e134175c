using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Runtimes;

/// <summary>Before any Sandbox has published, the API cannot know the versions: it says so (503), never guesses.</summary>
[ApiTier]
public sealed class RuntimesNotPublishedTests
{
    [Theory]
    [InlineData("/api/runtimes")]
    [InlineData("/api/v2/runtimes")]
    public async Task Without_a_published_runtime_the_api_answers_503(string path)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var api = new ApiFactory(redis.ConnectionString);
        using var client = api.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task A_requested_version_that_cannot_be_checked_yet_is_503_not_a_guess()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var api = new ApiFactory(redis.ConnectionString);
        using var client = api.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/execute", new { language = "python", code = "print(1)", version = "3" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Runtimes not available", problem.RootElement.GetProperty("title").GetString());
        Assert.False(await redis.Db.KeyExistsAsync(RedisKeys.JobStream));
    }

    [Fact]
    public async Task A_runtime_published_later_is_served_at_once()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var api = new ApiFactory(redis.ConnectionString);
        using var client = api.CreateClient();
        using var before = await client.GetAsync("/api/runtimes");

        var published = new RuntimeInfo("python", "3.99.1", ["py"], ".py", "/usr/bin/python3");
        await redis.Db.HashSetAsync(RedisKeys.Runtimes, "python", JsonSerializer.Serialize(published, CodifyJson.Options));
        using var after = await client.GetAsync("/api/v2/runtimes");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        using var body = JsonDocument.Parse(await after.Content.ReadAsStringAsync());
        Assert.Equal("3.99.1", body.RootElement[0].GetProperty("version").GetString());
    }
}
