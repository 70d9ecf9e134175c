using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;

namespace Codify.Tests.Api.Admission;

/// <summary>With API keys configured, everything but the health endpoints needs one (X-API-Key or Authorization: Bearer).</summary>
[ApiTier]
public sealed class ApiKeyTests
{
    private const string Key = "right-key-0123456789abcdef";
    private const string OtherKey = "other-key-0123456789abcdef";

    private static async Task<(AdmissionHost Host, HttpClient Client)> StartAsync()
    {
        var host = await AdmissionHost.StartAsync();
        // One key from the list section, one from the comma-separated variable: both sources count.
        var client = host.AddReplica(new Dictionary<string, string?> { ["ApiKeys:0"] = Key, ["API_KEYS"] = $"{OtherKey}," }).CreateClient();
        return (host, client);
    }

    [Fact]
    public async Task Without_a_key_the_api_answers_401_with_a_problem()
    {
        var (host, client) = await StartAsync();
        await using var _ = host;
        using var __ = client;

        using var response = await AdmissionHost.ExecuteAsync(client);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal("API key required", problem!.Title);
        Assert.Contains("X-API-Key", problem.Detail, StringComparison.Ordinal);
        Assert.False(await host.Redis.Db.KeyExistsAsync(Contracts.RedisKeys.JobStream));

        using var read = await client.GetAsync("/api/execute/0123");
        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
    }

    [Fact]
    public async Task A_wrong_key_gets_401_in_either_header()
    {
        var (host, client) = await StartAsync();
        await using var _ = host;
        using var __ = client;

        using var wrong = await AdmissionHost.ExecuteAsync(client, Key + "x");
        using var bearer = await SendAsync(client, new AuthenticationHeaderValue("Bearer", Key[..^1]));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("Invalid API key", (await wrong.Content.ReadFromJsonAsync<ProblemDetails>())!.Title);
        Assert.Equal(HttpStatusCode.Unauthorized, bearer.StatusCode);
        Assert.False(await host.Redis.Db.KeyExistsAsync(Contracts.RedisKeys.JobStream));
    }

    [Fact]
    public async Task A_configured_key_is_accepted_in_either_header()
    {
        var (host, client) = await StartAsync();
        await using var _ = host;
        using var __ = client;

        using var header = await AdmissionHost.ExecuteAsync(client, Key);
        using var bearer = await SendAsync(client, new AuthenticationHeaderValue("Bearer", OtherKey));

        Assert.Equal(HttpStatusCode.Accepted, header.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, bearer.StatusCode);
        using var read = new HttpRequestMessage(HttpMethod.Get, header.Headers.Location);
        read.Headers.Add("X-API-Key", Key);
        using var record = await client.SendAsync(read);
        Assert.Equal(HttpStatusCode.OK, record.StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    [InlineData("/api/health")]
    [InlineData("/api/health/ready")]
    public async Task Health_endpoints_need_no_key(string path)
    {
        var (host, client) = await StartAsync();
        await using var _ = host;
        using var __ = client;

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/health/detailed")]
    [InlineData("/api/stats")]
    public async Task The_detailed_health_and_the_statistics_need_a_key(string path)
    {
        var (host, client) = await StartAsync();
        await using var _ = host;
        using var __ = client;

        using var without = await client.GetAsync(path);
        using var with = new HttpRequestMessage(HttpMethod.Get, path);
        with.Headers.Add("X-API-Key", Key);
        using var withKey = await client.SendAsync(with);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, AuthenticationHeaderValue authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/execute") { Content = JsonContent.Create(AdmissionHost.Program) };
        request.Headers.Authorization = authorization;
        return client.SendAsync(request);
    }
}
