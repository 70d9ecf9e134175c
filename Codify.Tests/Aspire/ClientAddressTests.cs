using System.Net;
using System.Net.Http.Json;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Aspire;

/// <summary>
/// Under the AppHost the API sees each client's own address: per-client budgets (here the rate limit) are per client,
/// not one budget shared by everybody behind a proxy's single address.
/// </summary>
[Collection(AspireAppCollectionDefinition.Name)]
[EndToEndTier]
public sealed class ClientAddressTests(AspireAppFixture fixture)
{
    [Fact]
    public async Task Clients_on_two_loopback_addresses_get_two_separate_rate_limit_budgets()
    {
        using var fromTwo = LoopbackClient.From(IPAddress.Parse("127.0.0.2"), fixture.ApiAddress);
        using var fromThree = LoopbackClient.From(IPAddress.Parse("127.0.0.3"), fixture.ApiAddress);

        var (status, limit, remaining) = await ExecuteAsync(fromTwo);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(limit - 1, remaining); // a fresh budget: nobody else's requests counted against 127.0.0.2
        for (var spent = 1; spent < limit; spent++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await ExecuteAsync(fromTwo)).Status);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await ExecuteAsync(fromTwo)).Status);

        var other = await ExecuteAsync(fromThree);
        Assert.Equal(HttpStatusCode.Accepted, other.Status);
        Assert.Equal(limit - 1, other.Remaining);
    }

    private static async Task<(HttpStatusCode Status, int Limit, int Remaining)> ExecuteAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/execute", new { language = "python", code = "print(1)" });
        return (response.StatusCode, Header(response, "RateLimit-Limit"), Header(response, "RateLimit-Remaining"));
    }

    private static int Header(HttpResponseMessage response, string name) =>
        int.Parse(Assert.Single(response.Headers.GetValues(name)), System.Globalization.CultureInfo.InvariantCulture);
}
