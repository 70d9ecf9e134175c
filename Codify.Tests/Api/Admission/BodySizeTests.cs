using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace Codify.Tests.Api.Admission;

/// <summary>Bodies over Executions:MaxRequestBodyBytes get a 413 problem naming the limit, whether or not they announce their length.</summary>
[ApiTier]
public sealed class BodySizeTests
{
    private static readonly Dictionary<string, string?> Small = new() { ["Executions:MaxRequestBodyBytes"] = "2048" };

    private static string Body(int stdinBytes) =>
        $$"""{"code":"print(1)","language":"python","stdin":"{{new string('x', stdinBytes)}}"}""";

    [Fact]
    public async Task A_body_whose_length_is_over_the_cap_gets_413_naming_the_limit()
    {
        await using var host = await AdmissionHost.StartAsync();
        using var client = host.AddReplica(Small).CreateClient();

        using var fits = await client.PostAsync("/api/execute", new StringContent(Body(1500), Encoding.UTF8, "application/json"));
        using var tooLarge = await client.PostAsync("/api/execute", new StringContent(Body(4000), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, fits.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        var problem = await tooLarge.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Contains("2048 bytes", problem!.Detail, StringComparison.Ordinal);
        Assert.Contains("Executions:MaxRequestBodyBytes", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(1, await host.Redis.Db.StreamLengthAsync(Contracts.RedisKeys.JobStream));
    }

    [Fact]
    public async Task A_chunked_body_over_the_cap_gets_413_naming_the_limit_from_kestrel()
    {
        await using var host = await AdmissionHost.StartAsync();
        var api = host.AddReplica(Small);
        api.UseKestrel(0);
        api.StartServer();
        using var client = api.CreateClient();

        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Body(4000))));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/execute") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Contains("2048 bytes", problem!.Detail, StringComparison.Ordinal);
        Assert.False(await host.Redis.Db.KeyExistsAsync(Contracts.RedisKeys.JobStream));
    }
}
