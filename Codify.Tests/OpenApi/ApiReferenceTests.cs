using System.Net;
using System.Text.Json;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.OpenApi;

/// <summary>The OpenAPI document and the Scalar reference page, served by the real API (environment "Testing", not Development).</summary>
[Collection(StackGroup.Name)]
[ApiTier]
public sealed class ApiReferenceTests(StackFixture stack)
{
    [Fact]
    public async Task The_openapi_document_lists_every_public_endpoint()
    {
        using var response = await stack.Client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name.TrimEnd('/')).ToList();
        Assert.Contains("/api/execute", paths);
        Assert.Contains("/api/execute/{id}", paths);
        Assert.Contains("/api/runtimes", paths);
        Assert.Contains("/api/v2/runtimes", paths);
        Assert.Contains("/api/v2/execute", paths);
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_scalar_page_is_html()
    {
        // Scalar answers /scalar with a redirect to /scalar/ (its assets are relative to the page); the client follows it.
        using var response = await stack.Client.GetAsync("/scalar");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("/scalar/", response.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
