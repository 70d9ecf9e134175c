using Codify.ExecutionApi.Admission;

namespace Codify.ExecutionApi.Mcp;

/// <summary>Who an MCP tool call counts against: the HTTP request carrying it (stateless transport), as for REST.</summary>
public sealed class McpCaller(IHttpContextAccessor http)
{
    public string Client => http.HttpContext is { } context
        ? ClientIdentity.Of(context)
        : throw new InvalidOperationException("an MCP tool call outside its HTTP request");
}
