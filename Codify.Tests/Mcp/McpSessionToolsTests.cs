using System.Text.Json;
using Codify.Contracts;
using Codify.Contracts.Sessions;
using Codify.Tests.Sessions;
using ModelContextProtocol.Protocol;

namespace Codify.Tests.Mcp;

/// <summary>The session tools driven by the MCP SDK's client against real session sandboxes: state, files and close, end to end.</summary>
[ApiTier]
[Collection(SessionGroup.Name)]
public sealed class McpSessionToolsTests(SessionsFixture stack)
{
    [Fact]
    public async Task A_session_created_over_mcp_keeps_state_moves_files_both_ways_and_closes()
    {
        await using var client = await McpTestClient.ConnectAsync(stack.Client);

        var created = await client.CallAsync("create_session", new { language = "python" });
        Assert.True(created.IsError is not true, created.Text());
        var session = JsonSerializer.Deserialize<SessionInfo>(created.Text(), CodifyJson.Options)!;
        var uploaded = await client.CallAsync("upload_file", new { sessionId = session.Id, path = "data/in.txt", content = "41" });
        var first = await client.CallAsync("run_in_session", new { sessionId = session.Id, code = "x = int(open('data/in.txt').read())\nopen('out.txt', 'w').write(str(x + 1))" });
        var second = await client.CallAsync("run_in_session", new { sessionId = session.Id, code = "x + 1" });
        var downloaded = await client.CallAsync("download_file", new { sessionId = session.Id, path = "out.txt" });
        var closed = await client.CallAsync("close_session", new { sessionId = session.Id });
        var after = await client.CallAsync("run_in_session", new { sessionId = session.Id, code = "x" });

        Assert.True(uploaded.IsError is not true, uploaded.Text());
        Assert.True(first.IsError is not true, first.Text());
        Assert.Contains(second.Content.OfType<TextContentBlock>(), b => b.Text == "42");
        Assert.Equal("42", downloaded.Text());
        Assert.Equal(SessionStatus.Ended, JsonSerializer.Deserialize<SessionInfo>(closed.Text(), CodifyJson.Options)!.Status);
        Assert.True(after.IsError);
        Assert.Contains("ended", after.Text(), StringComparison.OrdinalIgnoreCase);
    }
}
