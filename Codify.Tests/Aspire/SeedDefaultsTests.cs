using System.Net;
using System.Net.Http.Json;
using Codify.Tests.Health;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Aspire;

/// <summary>
/// The app started by the AppHost with none of the seed's limits set (the fixture only moves PORT and HOST) answers with
/// the seed's defaults: 2 Sandbox replicas of 10 slots each, 10 executions per 60 s per client, 51200 bytes of code, 30 s at most, CORS for
/// http://localhost:3000.
/// </summary>
[Collection(AspireAppCollectionDefinition.Name)]
[EndToEndTier]
public sealed class SeedDefaultsTests(AspireAppFixture fixture)
{
    [Fact]
    public async Task A_user_who_sets_nothing_gets_the_seeds_defaults()
    {
        // Its own client address: the rate limit it reads is not spent by other tests.
        using var client = LoopbackClient.From(IPAddress.Parse("127.0.0.4"), fixture.ApiAddress);

        var detailed = await Eventually.ReturnsAsync(
            () => HealthAnswer.GetAsync(client, "/api/health/detailed"),
            a => a.Replicas().Count == 2, TimeSpan.FromSeconds(30), "both sandbox replicas (SANDBOX_REPLICAS defaults to 2) to register");
        Assert.All(detailed.Replicas(), r => Assert.Equal(10, r.GetProperty("slotsTotal").GetInt32()));

        using var largest = await ExecuteAsync(client, ProgramOf(51200), timeout: 30);
        Assert.Equal(HttpStatusCode.Accepted, largest.StatusCode);
        Assert.Equal("10;w=60", string.Join(",", largest.Headers.GetValues("RateLimit-Policy")));

        using var tooLarge = await ExecuteAsync(client, ProgramOf(51201), timeout: 10);
        Assert.Equal(HttpStatusCode.BadRequest, tooLarge.StatusCode);
        Assert.Contains("51200 bytes (CODE_SIZE_LIMIT)", await tooLarge.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var tooLong = await ExecuteAsync(client, "print(1)", timeout: 31);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("30 seconds (EXECUTION_TIMEOUT_MAX)", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/execute");
        preflight.Headers.Add("Origin", "http://localhost:3000");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var allowed = await client.SendAsync(preflight);
        Assert.Equal("http://localhost:3000", string.Join(",", allowed.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    /// <summary>A Python program of exactly <paramref name="bytes"/> bytes: print(1), then a comment as padding.</summary>
    private static string ProgramOf(int bytes) => "print(1)\n#".PadRight(bytes, '#');

    private static Task<HttpResponseMessage> ExecuteAsync(HttpClient client, string code, int timeout) =>
        client.PostAsJsonAsync("/api/execute", new { language = "python", code, timeout });
}
