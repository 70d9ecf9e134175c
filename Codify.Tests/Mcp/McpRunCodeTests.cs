using Codify.Tests.Infrastructure;
using ModelContextProtocol.Protocol;

namespace Codify.Tests.Mcp;

/// <summary>
/// The MCP server at <c>/mcp</c> driven by the MCP SDK's client, against the real API, Redis and Sandbox: the tools are
/// listed with their schemas, and run_code returns text and images; a failed call is a tool error saying why.
/// </summary>
[Collection(StackGroup.Name)]
[ApiTier]
public sealed class McpRunCodeTests(StackFixture stack)
{
    [Fact]
    public async Task The_client_lists_every_tool_with_its_input_schema()
    {
        await using var client = await McpTestClient.ConnectAsync(stack.Client);

        var tools = await client.ListToolsAsync();

        Assert.Equal(["close_session", "create_session", "download_file", "run_code", "run_in_session", "upload_file"],
            tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        var runCode = tools.Single(t => t.Name == "run_code").ProtocolTool.InputSchema;
        Assert.Equal(["code", "language"], runCode.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Run_code_returns_stdout_as_text_and_a_plot_as_a_png_image()
    {
        await using var client = await McpTestClient.ConnectAsync(stack.Client);

        var result = await client.CallAsync("run_code", new
        {
            language = "python",
            code = "import matplotlib.pyplot as plt\nprint(input() * 2)\nplt.plot([3, 1, 2])\n6 * 7",
            stdin = "ab\n",
        });

        Assert.True(result.IsError is not true, result.Text());
        Assert.Contains("status: completed", result.Text(), StringComparison.Ordinal);
        Assert.Contains("stdout:\nabab\n", result.Text(), StringComparison.Ordinal);
        Assert.Contains(result.Content.OfType<TextContentBlock>(), b => b.Text == "42");
        var image = Assert.Single(result.Content.OfType<ImageContentBlock>());
        Assert.Equal("image/png", image.MimeType);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, image.DecodedData.ToArray()[..4]);
    }

    [Fact]
    public async Task A_program_that_fails_is_a_tool_error_carrying_its_status_and_stderr()
    {
        await using var client = await McpTestClient.ConnectAsync(stack.Client);

        var result = await client.CallAsync("run_code", new { language = "javascript", code = "throw new Error('kaboom')" });

        Assert.True(result.IsError);
        Assert.Contains("status: runtime_error", result.Text(), StringComparison.Ordinal);
        Assert.Contains("Error: kaboom", result.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_input_is_a_tool_error_naming_the_field_not_a_protocol_failure()
    {
        await using var client = await McpTestClient.ConnectAsync(stack.Client);

        var result = await client.CallAsync("run_code", new { language = "cobol", code = "DISPLAY 'HI'." });

        Assert.True(result.IsError);
        Assert.Contains("language: unsupported language 'cobol'", result.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_tools_reach_the_session_service_and_its_refusals_are_tool_errors()
    {
        await using var client = await McpTestClient.ConnectAsync(stack.Client);

        var run = await client.CallAsync("run_in_session", new { sessionId = "no-such-session", code = "1" });
        var upload = await client.CallAsync("upload_file", new { sessionId = "no-such-session", path = "../etc/passwd", content = "x" });

        Assert.True(run.IsError);
        Assert.Contains("Session not found (not_found)", run.Text(), StringComparison.Ordinal);
        Assert.True(upload.IsError);
        Assert.Contains("path: path must not contain '..'", upload.Text(), StringComparison.Ordinal);
    }
}
