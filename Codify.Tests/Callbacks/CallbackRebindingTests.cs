using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Callbacks;
using Codify.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Codify.Tests.Callbacks;

/// <summary>The send-time guard: a host that was public when the request was checked and is internal now is never connected to.</summary>
[Collection(CallbackStackGroup.Name)]
[ApiTier]
public sealed class CallbackRebindingTests(CallbackStackFixture stack)
{
    [Fact]
    public async Task A_host_rebound_to_loopback_after_validation_is_refused_at_connect_time_and_not_retried()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        // Request time: a public address (only judged, never connected to). Send time: loopback, where the receiver listens.
        var dns = new FakeResolver([IPAddress.Parse("93.184.216.34")], [IPAddress.Loopback]);
        await using var factory = new ApiFactory(stack.Redis.ConnectionString, CallbackStackFixture.Settings(allowPrivateNetworks: false));
        await using var api = factory.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddSingleton<IHostAddressResolver>(dns)));
        using var client = api.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/execute?wait=true",
            new { code = "print(1)", language = "python", callbackUrl = $"http://rebind.codify.test:{receiver.Port}/hook" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!.Id;

        Assert.Equal("failed", await stack.WaitForCallbackSettledAsync(id));
        Assert.Empty(receiver.Received);
        Assert.Equal(2, dns.Calls); // one check at request time, one connect attempt: a refusal is final
    }
}
