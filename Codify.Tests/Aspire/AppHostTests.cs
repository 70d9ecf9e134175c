using System.Net;
using Aspire.Hosting.Testing;
using Codify.AppHost;

namespace Codify.Tests.Aspire;

[Collection(AspireAppCollectionDefinition.Name)]
[EndToEndTier]
public sealed class AppHostTests(AspireAppFixture fixture)
{
    [Theory]
    [InlineData(ResourceNames.ExecutionApi)]
    [InlineData(ResourceNames.Sandbox)]
    public async Task Service_answers_health_with_200_through_the_app(string resource)
    {
        using var client = fixture.App.CreateHttpClient(resource);

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Api_is_not_pinned_to_the_dev_port_under_test()
    {
        using var client = fixture.CreateApiClient();

        // 8080 belongs to a developer's ./run.sh; tests must be able to run next to it.
        Assert.NotEqual(8080, client.BaseAddress!.Port);
    }
}
