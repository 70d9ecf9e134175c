using System.Text;
using System.Text.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Sessions;
using ModelContextProtocol.Protocol;

namespace Codify.ExecutionApi.Mcp;

/// <summary>Tool results for <see cref="SessionOutcome"/>s: the session as JSON, a cell like a run, a file as text or a blob; problems as tool errors.</summary>
internal static class SessionReplies
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static CallToolResult From(SessionOutcome outcome) => outcome switch
    {
        SessionFound found => Json(found.Session),
        CellRan ran => McpReplies.Ran(ran.Cell),
        SessionFileWritten written => Json(written.File),
        SessionFilesListed listed => Json(listed.Files),
        SessionFileRead read => File(read),
        SessionNotAdmitted { Why: var why } => McpReplies.NotQueued(why),
        SessionProblem problem => McpReplies.Error($"{problem.Title} ({problem.Reason}): {problem.Detail}" +
            (problem.Errors is { } errors ? "\n" + string.Join('\n', errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")) : "")),
        _ => McpReplies.Error($"unmapped session outcome {outcome.GetType().Name}"),
    };

    private static CallToolResult Json<T>(T value) =>
        new() { Content = [new TextContentBlock { Text = JsonSerializer.Serialize(value, CodifyJson.Options) }] };

    private static CallToolResult File(SessionFileRead read)
    {
        if (read.Content.AsSpan().StartsWith(PngSignature))
        {
            return new() { Content = [ImageContentBlock.FromBytes(read.Content, RichOutput.Png)] };
        }

        try
        {
            var text = StrictUtf8.GetString(read.Content);
            if (!text.Contains('\0', StringComparison.Ordinal))
            {
                return new() { Content = [new TextContentBlock { Text = text }] };
            }
        }
        catch (DecoderFallbackException)
        {
            // Not text: sent as a blob below.
        }

        return new() { Content = [new EmbeddedResourceBlock { Resource = BlobResourceContents.FromBytes(read.Content, $"file:///{read.Path}", "application/octet-stream") }] };
    }
}
