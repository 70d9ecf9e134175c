using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Callbacks;
using Codify.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Codify.Tests.Callbacks;

/// <summary>Request-time refusals: answered before anything is queued (no sandbox is needed to see them).</summary>
[ApiTier]
public sealed class CallbackRequestTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/hook", "loopback")]
    [InlineData("http://[::1]/hook", "loopback")]
    [InlineData("http://localhost/hook", "loopback")]
    [InlineData("http://169.254.169.254/latest/meta-data", "link-local")]
    public async Task By_default_an_internal_callbackUrl_is_a_400_naming_callbackUrl(string url, string range)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var api = new ApiFactory(redis.ConnectionString, new Dictionary<string, string?> { ["Callbacks:Secret"] = CallbackStackFixture.Secret });
        using var client = api.CreateClient();

        var problem = await PostExpecting400Async(client, url);

        var message = Assert.Single(problem.Errors["callbackUrl"]);
        Assert.Contains(range, message, StringComparison.Ordinal);
        Assert.Contains("Callbacks:AllowPrivateNetworks", message, StringComparison.Ordinal);
        Assert.False(await redis.Db.KeyExistsAsync(RedisKeys.JobStream));
    }

    [Fact]
    public async Task Without_a_configured_secret_any_callbackUrl_is_a_400_saying_so()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var api = new ApiFactory(redis.ConnectionString, new Dictionary<string, string?> { ["Callbacks:AllowPrivateNetworks"] = "true" });
        using var client = api.CreateClient();

        var problem = await PostExpecting400Async(client, "http://127.0.0.1:8080/hook");

        Assert.Equal("callbacks are not configured on this server", Assert.Single(problem.Errors["callbackUrl"]));
    }

    [Fact]
    public async Task The_callback_client_has_the_connect_guard_and_no_service_discovery_while_other_clients_keep_theirs()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var api = new ApiFactory(redis.ConnectionString);
        var factory = api.Services.GetRequiredService<IHttpMessageHandlerFactory>();

        var (callbackHandlers, primary) = Chain(factory.CreateHandler(CallbackHttpClient.Name));
        var (otherHandlers, _) = Chain(factory.CreateHandler("any-other-client"));

        Assert.Contains(otherHandlers, CallbackHttpClient.IsServiceDiscovery); // the check below can see it
        Assert.DoesNotContain(callbackHandlers, CallbackHttpClient.IsServiceDiscovery);
        Assert.Contains(callbackHandlers, h => h is CallbackSigningHandler);
        var sockets = Assert.IsType<SocketsHttpHandler>(primary);
        Assert.NotNull(sockets.ConnectCallback);
        Assert.False(sockets.UseProxy);
        Assert.False(sockets.AllowAutoRedirect);
    }

    private static async Task<HttpValidationProblemDetails> PostExpecting400Async(HttpClient client, string callbackUrl)
    {
        using var response = await client.PostAsJsonAsync("/api/execute", new { code = "print(1)", language = "python", callbackUrl });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        return (await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>())!;
    }

    private static (List<DelegatingHandler> Handlers, HttpMessageHandler Primary) Chain(HttpMessageHandler handler)
    {
        var handlers = new List<DelegatingHandler>();
        while (handler is DelegatingHandler delegating)
        {
            handlers.Add(delegating);
            handler = delegating.InnerHandler!;
        }

        return (handlers, handler);
    }
}
