using System.Net;
using System.Net.Http.Json;
using Codify.Tests.Api.Admission;

namespace Codify.Tests.Mcp;

/// <summary>
/// <c>/mcp</c> is admitted like every transport: API keys when configured, the client's rate limit and a sandbox that can
/// isolate, all through the one intake. Refusals are tool errors with the reason and when to retry.
/// </summary>
[ApiTier]
public sealed class McpAdmissionTests
{
    private const string Key = "mcp-test-key-0123456789";

    private static readonly object Hello = new { language = "python", code = "print(1)" };

    [Fact]
    public async Task With_keys_configured_mcp_needs_one_and_a_valid_key_gets_through()
    {
        await using var host = await AdmissionHost.StartAsync();
        using var http = host.AddReplica(new Dictionary<string, string?> { ["ApiKeys:0"] = Key }).CreateClient();

        using var bare = await http.PostAsJsonAsync("/mcp", new { jsonrpc = "2.0", id = 1, method = "tools/list" });
        await Assert.ThrowsAnyAsync<Exception>(async () => await McpTestClient.ConnectAsync(http, apiKey: "wrong-key"));
        await using var client = await McpTestClient.ConnectAsync(http, apiKey: Key);

        Assert.Equal(HttpStatusCode.Unauthorized, bare.StatusCode);
        Assert.Contains(await client.ListToolsAsync(), t => t.Name == "run_code");
    }

    [Fact]
    public async Task Over_the_rate_limit_run_code_is_a_tool_error_saying_when_to_retry()
    {
        await using var host = await AdmissionHost.StartAsync();
        using var http = host.AddReplica(new Dictionary<string, string?> { ["RATE_LIMIT_POINTS"] = "1", ["RATE_LIMIT_DURATION"] = "60" }).CreateClient();
        await using var client = await McpTestClient.ConnectAsync(http);
        using var spend = await AdmissionHost.ExecuteAsync(http);

        var result = await client.CallAsync("run_code", Hello);

        Assert.True(result.IsError);
        Assert.Matches(@"Too many requests \(rate_limited\): .* Retry after \d+ s\.", result.Text());
    }

    [Fact]
    public async Task Without_a_sandbox_run_code_is_a_tool_error_and_nothing_is_queued()
    {
        await using var host = await AdmissionHost.StartAsync(advertiseSandbox: false);
        using var http = host.AddReplica().CreateClient();
        await using var client = await McpTestClient.ConnectAsync(http);

        var result = await client.CallAsync("run_code", Hello);

        Assert.True(result.IsError);
        Assert.Contains("No sandbox available (no_sandbox)", result.Text(), StringComparison.Ordinal);
        Assert.False(await host.Redis.Db.KeyExistsAsync(Codify.Contracts.RedisKeys.JobStream));
    }
}
