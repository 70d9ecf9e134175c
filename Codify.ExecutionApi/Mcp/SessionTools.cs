using System.ComponentModel;
using Codify.ExecutionApi.Sessions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Codify.ExecutionApi.Mcp;

/// <summary>The session tools: each one call of <see cref="SessionService"/> (the REST endpoints' own), its outcome mapped for MCP.</summary>
[McpServerToolType]
public sealed class SessionTools(SessionService sessions, McpCaller caller)
{
    [McpServerTool(Name = "create_session", Title = "Create a session", OpenWorld = false)]
    [Description("Starts a session: a live python or javascript interpreter in its own sandbox that keeps variables, imports, " +
        "functions and files between run_in_session calls. Returns the session (its id for the other session tools).")]
    public async Task<CallToolResult> CreateAsync(
        [Description("python or javascript")] string language,
        [Description("Seconds without a call before the session ends (default: the server's)")] int? idleTimeoutSeconds = null,
        CancellationToken cancellationToken = default) =>
        SessionReplies.From(await sessions.CreateAsync(
            new CreateSessionRequest { Language = language, IdleTimeoutSeconds = idleTimeoutSeconds }, caller.Client, cancellationToken));

    [McpServerTool(Name = "run_in_session", Title = "Run code in a session", OpenWorld = false)]
    [Description("Runs code in a session's interpreter, with everything earlier calls defined. Returns stdout, stderr, figures " +
        "as images and the value of the last expression. One call at a time per session.")]
    public async Task<CallToolResult> RunAsync(
        [Description("The session's id (from create_session)")] string sessionId,
        [Description("The code to run")] string code,
        [Description("Standard input for this code (python)")] string? stdin = null,
        [Description("Wall-clock limit in seconds for this code (default: the session's)")] double? timeout = null,
        CancellationToken cancellationToken = default) =>
        SessionReplies.From(await sessions.ExecuteAsync(
            sessionId, new ExecuteCellRequest { Code = code, Stdin = stdin, Timeout = timeout }, caller.Client, cancellationToken));

    [McpServerTool(Name = "upload_file", Title = "Upload a file to a session", OpenWorld = false)]
    [Description("Writes a file into a session's work dir (folders are created), where its code can open it by that path.")]
    public async Task<CallToolResult> UploadAsync(
        [Description("The session's id")] string sessionId,
        [Description("A relative path in the work dir, such as data/input.csv")] string path,
        [Description("The file's content: text, or base64 when 'base64' is true")] string content,
        [Description("Whether content is base64 (binary files)")] bool base64 = false,
        CancellationToken cancellationToken = default)
    {
        byte[] bytes;
        try
        {
            bytes = base64 ? Convert.FromBase64String(content) : System.Text.Encoding.UTF8.GetBytes(content);
        }
        catch (FormatException)
        {
            return McpReplies.Error("content: not valid base64 (send text with base64 false, or valid base64)");
        }

        return SessionReplies.From(await sessions.UploadFileAsync(sessionId, path, bytes, caller.Client, cancellationToken));
    }

    [McpServerTool(Name = "download_file", Title = "Download a file from a session", ReadOnly = true, OpenWorld = false)]
    [Description("Reads a regular file from a session's work dir: UTF-8 text as text, anything else (and PNG images) as binary.")]
    public async Task<CallToolResult> DownloadAsync(
        [Description("The session's id")] string sessionId,
        [Description("A relative path in the work dir")] string path,
        CancellationToken cancellationToken = default) =>
        SessionReplies.From(await sessions.DownloadFileAsync(sessionId, path, caller.Client, cancellationToken));

    [McpServerTool(Name = "close_session", Title = "Close a session", Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Ends a session: its interpreter, processes and files are gone.")]
    public async Task<CallToolResult> CloseAsync(
        [Description("The session's id")] string sessionId,
        CancellationToken cancellationToken = default) =>
        SessionReplies.From(await sessions.CloseAsync(sessionId, caller.Client, cancellationToken));
}
