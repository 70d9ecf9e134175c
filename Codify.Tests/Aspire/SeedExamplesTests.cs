using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;

namespace Codify.Tests.Aspire;

/// <summary>The seed's two curl examples, end to end through the AppHost: API → Redis stream → Sandbox → bubblewrap → back.</summary>
[Collection(AspireAppCollectionDefinition.Name)]
[EndToEndTier]
public sealed class SeedExamplesTests(AspireAppFixture fixture)
{
    [Theory]
    [InlineData("python", "print(\"Hello, World!\")")]
    [InlineData("javascript", "console.log(\"Hello, World!\");")]
    public async Task Seed_example_runs_end_to_end(string language, string code)
    {
        using var client = fixture.CreateApiClient();

        using var response = await client.PostAsJsonAsync("/api/execute?wait=true", new { code, language, timeout = 10 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options);
        Assert.Equal(ExecutionStatus.Completed, record!.Status);
        Assert.Equal("Hello, World!\n", record.Stdout);
        Assert.Equal(0, record.ExitCode);
        Assert.NotNull(record.WallTimeMs);

        using var stored = await client.GetAsync($"/api/execute/{record.Id}");
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal(record.Id, (await stored.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!.Id);
    }

    [Fact]
    public async Task Post_without_wait_answers_202_with_a_location_that_resolves()
    {
        using var client = fixture.CreateApiClient();

        using var response = await client.PostAsJsonAsync("/api/execute", new { code = "print(1)", language = "python", timeout = 10 });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var record = await client.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, record.StatusCode);
    }
}
