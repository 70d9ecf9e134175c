using System.Net;

namespace Codify.Tests.Api.Admission;

/// <summary>FRONTEND_URL is the browser origin CORS allows (default http://localhost:3000); other origins get no allow header.</summary>
[ApiTier]
public sealed class CorsTests
{
    [Fact]
    public async Task A_preflight_from_the_frontend_is_allowed_and_one_from_another_origin_is_not()
    {
        await using var host = await AdmissionHost.StartAsync();
        using var client = host.AddReplica(new Dictionary<string, string?> { ["FRONTEND_URL"] = "https://app.codify.test:5173/" }).CreateClient();

        using var allowed = await PreflightAsync(client, "https://app.codify.test:5173");
        using var other = await PreflightAsync(client, "https://evil.codify.test");

        Assert.Equal("https://app.codify.test:5173", Single(allowed, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Single(allowed, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Contains("x-api-key", Single(allowed, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Without_frontend_url_localhost_3000_is_allowed()
    {
        await using var host = await AdmissionHost.StartAsync();
        using var client = host.AddReplica().CreateClient();

        using var allowed = await PreflightAsync(client, "http://localhost:3000");
        using var other = await PreflightAsync(client, "http://localhost:3001");

        Assert.Equal("http://localhost:3000", Single(allowed, "Access-Control-Allow-Origin"));
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_preflight_needs_no_api_key_and_the_answer_exposes_the_rate_limit_headers()
    {
        await using var host = await AdmissionHost.StartAsync();
        const string Key = "cors-key-0123456789abcdef";
        using var client = host.AddReplica(new Dictionary<string, string?> { ["API_KEYS"] = Key }).CreateClient();

        using var preflight = await PreflightAsync(client, "http://localhost:3000");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/execute") { Content = System.Net.Http.Json.JsonContent.Create(AdmissionHost.Program) };
        request.Headers.Add("Origin", "http://localhost:3000");
        request.Headers.Add("X-API-Key", Key);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("http://localhost:3000", Single(preflight, "Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("http://localhost:3000", Single(response, "Access-Control-Allow-Origin"));
        Assert.Contains("RateLimit-Remaining", Single(response, "Access-Control-Expose-Headers"), StringComparison.OrdinalIgnoreCase);
    }

    private static Task<HttpResponseMessage> PreflightAsync(HttpClient client, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/execute");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,x-api-key");
        return client.SendAsync(request);
    }

    private static string Single(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values) ? string.Join(",", values) : "";
}
