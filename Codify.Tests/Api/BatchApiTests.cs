using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Batches;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Api;

/// <summary>POST /api/execute/batch over real HTTP with the real Sandbox.</summary>
[Collection(StackGroup.Name)]
[ApiTier]
public sealed class BatchApiTests(StackFixture stack)
{
    [Fact]
    public async Task Each_entry_is_validated_on_its_own_and_the_valid_ones_run()
    {
        var body = new
        {
            executions = new object[]
            {
                new { code = "print('a')", language = "python" },
                new { code = "x", language = "cobol" },
                new { code = "console.log('c')", language = "js" },
            },
        };

        using var response = await stack.Client.PostAsJsonAsync("/api/execute/batch", body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var batch = (await response.Content.ReadFromJsonAsync<BatchResponse>(CodifyJson.Options))!;
        Assert.Equal((2, 1), (batch.Queued, batch.Rejected));
        Assert.Equal([0, 1, 2], batch.Items.Select(i => i.Index));
        Assert.True(batch.Items[1].Problem!.Errors.ContainsKey("language"));
        var ids = string.Join(',', batch.Items.Where(i => i.Execution is not null).Select(i => i.Execution!.Id));
        var done = await Eventually.ReturnsAsync(
            () => stack.Client.GetFromJsonAsync<Codify.ExecutionApi.Listing.ExecutionPage>($"/api/execute?ids={ids}", CodifyJson.Options),
            p => p!.Items.Count == 2 && p.Items.All(r => r.Status.IsTerminal()), TimeSpan.FromSeconds(30), "both batch entries to end");
        Assert.Equal(["a\n", "c\n"], done!.Items.Select(r => r.Stdout));
    }

    [Fact]
    public async Task A_batch_with_only_invalid_entries_is_a_400_that_queues_nothing()
    {
        using var response = await stack.Client.PostAsJsonAsync("/api/execute/batch", new { executions = new[] { new { code = "", language = "python" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var batch = (await response.Content.ReadFromJsonAsync<BatchResponse>(CodifyJson.Options))!;
        Assert.Equal(0, batch.Queued);
        Assert.True(batch.Items[0].Problem!.Errors.ContainsKey("code"));
    }

    [Fact]
    public async Task A_callback_url_in_an_entry_is_checked_like_a_single_request()
    {
        // No callback secret is configured in this stack: a callbackUrl cannot be honoured, so the entry is refused.
        using var response = await stack.Client.PostAsJsonAsync("/api/execute/batch",
            new { executions = new[] { new { code = "print(1)", language = "python", callbackUrl = "http://127.0.0.1:9/hook" } } });

        var batch = (await response.Content.ReadFromJsonAsync<BatchResponse>(CodifyJson.Options))!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(batch.Items[0].Problem!.Errors.ContainsKey("callbackUrl"));
    }

    [Fact]
    public async Task A_version_in_an_entry_is_checked_against_the_installed_runtime()
    {
        await Eventually.ReturnsAsync(() => stack.Redis.Db.HashLengthAsync(RedisKeys.Runtimes), n => n > 0, TimeSpan.FromSeconds(30), "runtimes to be published");

        using var response = await stack.Client.PostAsJsonAsync("/api/execute/batch", new
        {
            executions = new[] { new { code = "print(1)", language = "python", version = "2.7" }, new { code = "print(2)", language = "python", version = "3" } },
        });

        var batch = (await response.Content.ReadFromJsonAsync<BatchResponse>(CodifyJson.Options))!;
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(batch.Items[0].Problem!.Errors.ContainsKey("version"));
        Assert.NotNull(batch.Items[1].Execution);
    }

    [Theory]
    [InlineData("""{"executions":[]}""")]
    [InlineData("""{}""")]
    public async Task An_empty_batch_is_a_problem_naming_executions(string body)
    {
        using var response = await stack.Client.PostAsync("/api/execute/batch", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("MaxBatchSize", problem.RootElement.GetProperty("errors").GetProperty("executions")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_over_the_configured_size_is_rejected_whole()
    {
        var body = new { executions = Enumerable.Range(0, 21).Select(_ => new { code = "print(1)", language = "python" }).ToArray() };

        using var response = await stack.Client.PostAsJsonAsync("/api/execute/batch", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("between 1 and 20", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
