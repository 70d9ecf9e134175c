using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Listing;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Api;

/// <summary>GET /api/execute over real HTTP: newest first, cursor paging, filters, several ids at once. Own Redis: the listing sees only this class's runs.</summary>
[ApiTier]
public sealed class ExecutionListingTests(StackFixture stack) : IClassFixture<StackFixture>, IAsyncLifetime
{
    private readonly List<ExecutionRecord> _created = [];

    public async Task InitializeAsync()
    {
        if (await stack.Redis.Db.SortedSetLengthAsync(RedisKeys.ExecutionIndex) > 0)
        {
            _created.AddRange(await ReadAllAsync());
            return;
        }

        // Oldest first: 3 python (one failing) and 2 javascript.
        _created.Add(await stack.ExecuteAndWaitAsync(new { code = "print(1)", language = "python" }));
        _created.Add(await stack.ExecuteAndWaitAsync(new { code = "console.log(2)", language = "javascript" }));
        _created.Add(await stack.ExecuteAndWaitAsync(new { code = "raise SystemExit(4)", language = "python" }));
        _created.Add(await stack.ExecuteAndWaitAsync(new { code = "console.log(4)", language = "js" }));
        _created.Add(await stack.ExecuteAndWaitAsync(new { code = "print(5)", language = "py" }));
        _created.Reverse();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Pages_walk_every_execution_newest_first_exactly_once()
    {
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await GetPageAsync($"/api/execute?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}");
            Assert.InRange(page.Items.Count, 1, 2);
            seen.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(_created.Select(r => r.Id), seen);
    }

    [Fact]
    public async Task Filters_by_language_and_status()
    {
        var javascript = await GetPageAsync("/api/execute?language=node");
        var failed = await GetPageAsync("/api/execute?status=runtime_error");

        Assert.Equal(_created.Where(r => r.Language == "javascript").Select(r => r.Id), javascript.Items.Select(r => r.Id));
        Assert.Equal(_created.Where(r => r.Status == ExecutionStatus.RuntimeError).Select(r => r.Id), failed.Items.Select(r => r.Id));
        Assert.Single(failed.Items);
    }

    [Fact]
    public async Task Several_ids_at_once_report_the_unknown_ones()
    {
        var page = await GetPageAsync($"/api/execute?ids={_created[0].Id},nope,{_created[1].Id}");

        Assert.Equal([_created[0].Id, _created[1].Id], page.Items.Select(r => r.Id));
        Assert.Equal(["nope"], page.NotFound!);
    }

    [Theory]
    [InlineData("status=finished", "status")]
    [InlineData("language=ruby", "language")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1000", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task Bad_queries_are_400_problems_naming_the_parameter(string query, string field)
    {
        using var response = await stack.Client.GetAsync($"/api/execute?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Index_entries_past_retention_are_trimmed_when_new_executions_arrive()
    {
        await stack.Redis.Db.SortedSetAddAsync(RedisKeys.ExecutionIndex, "ancient", DateTimeOffset.UtcNow.AddDays(-30).ToUnixTimeMilliseconds());

        var fresh = await stack.ExecuteAndWaitAsync(new { code = "print(6)", language = "python" });
        _created.Insert(0, fresh);

        Assert.Null(await stack.Redis.Db.SortedSetScoreAsync(RedisKeys.ExecutionIndex, "ancient"));
        Assert.NotNull(await stack.Redis.Db.SortedSetScoreAsync(RedisKeys.ExecutionIndex, fresh.Id));
        await stack.Redis.Db.SortedSetRemoveAsync(RedisKeys.ExecutionIndex, fresh.Id);
        await stack.Redis.Db.SortedSetRemoveAsync(RedisKeys.ExecutionIndexFor("python"), fresh.Id);
    }

    private async Task<ExecutionPage> GetPageAsync(string url) =>
        (await stack.Client.GetFromJsonAsync<ExecutionPage>(url, CodifyJson.Options))!;

    private async Task<List<ExecutionRecord>> ReadAllAsync() =>
        [.. (await GetPageAsync($"/api/execute?limit={Codify.ExecutionApi.Listing.ExecutionLister.MaxLimit}")).Items];
}
