using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Codify.Tests.Mcp;

/// <summary>The MCP SDK's own client (ModelContextProtocol 2.4.0) over Streamable HTTP to a test API's <c>/mcp</c>.</summary>
internal static class McpTestClient
{
    public static async Task<McpClient> ConnectAsync(HttpClient http, string? apiKey = null)
    {
        var options = new HttpClientTransportOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = apiKey is null ? null : new Dictionary<string, string> { ["X-API-Key"] = apiKey },
        };
        var transport = new HttpClientTransport(options, http, NullLoggerFactory.Instance, ownsHttpClient: false);
        return await McpClient.CreateAsync(transport, loggerFactory: NullLoggerFactory.Instance);
    }

    public static ValueTask<CallToolResult> CallAsync(this McpClient client, string tool, object arguments) =>
        client.CallToolAsync(tool, arguments.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(arguments)));

    /// <summary>The text of every text block, joined.</summary>
    public static string Text(this CallToolResult result) =>
        string.Join('\n', result.Content.OfType<TextContentBlock>().Select(b => b.Text));
}
