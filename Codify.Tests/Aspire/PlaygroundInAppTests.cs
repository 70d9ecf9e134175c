using System.Net;
using Aspire.Hosting.ApplicationModel;
using Codify.AppHost;
using Microsoft.Extensions.DependencyInjection;

namespace Codify.Tests.Aspire;

/// <summary>The playground as the AppHost starts it: served by the API, and listed among the API's URLs in the dashboard.</summary>
[Collection(AspireAppCollectionDefinition.Name)]
[EndToEndTier]
public sealed class PlaygroundInAppTests(AspireAppFixture fixture)
{
    [Fact]
    public async Task The_api_serves_the_playground_and_the_dashboard_links_to_it()
    {
        using var client = fixture.CreateApiClient();
        using var page = await client.GetAsync(new Uri("/playground", UriKind.Relative));
        var notifications = fixture.App.Services.GetRequiredService<ResourceNotificationService>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var api = await notifications.WaitForResourceAsync(ResourceNames.ExecutionApi,
            e => e.Snapshot.Urls.Any(u => u.DisplayProperties.DisplayName == "Playground"), timeout.Token);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var url = new Uri(api.Snapshot.Urls.Single(u => u.DisplayProperties.DisplayName == "Playground").Url);
        Assert.Equal(("/playground", fixture.ApiAddress.Port), (url.AbsolutePath, url.Port));
    }
}
