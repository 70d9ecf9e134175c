using System.Text.Json;
using Codify.Contracts;
using Codify.ExecutionApi.BadRequests;

namespace Codify.ExecutionApi.Sockets;

/// <summary>One client message read as JSON: its envelope and whole object, or the <c>malformed</c> error to answer.</summary>
public sealed class SocketRequestParser : IDisposable
{
    private readonly JsonDocument? _document;

    private SocketRequestParser(JsonDocument? document, SocketRequest? request, SocketReply? error) =>
        (_document, Request, Error) = (document, request, error);

    public SocketRequest? Request { get; }

    public SocketReply? Error { get; }

    /// <summary>The whole message (an <c>execute</c> carries the request's fields next to the envelope's).</summary>
    public JsonElement Message => _document!.RootElement;

    /// <summary>Reads <paramref name="utf8"/>, which must stay unchanged until the result is disposed.</summary>
    public static SocketRequestParser Parse(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8);
        }
        catch (JsonException)
        {
            return Malformed(null, "The message is not valid JSON: send one object such as {\"type\":\"subscribe\",\"executionId\":\"...\"}.");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return Malformed(document, "The message must be a JSON object with a \"type\".");
        }

        SocketRequest request;
        try
        {
            request = document.RootElement.Deserialize<SocketRequest>(CodifyJson.Options)!;
        }
        catch (JsonException e)
        {
            var (path, expected) = (JsonErrorWords.PathOf(e), JsonErrorWords.Explain(e, typeof(SocketRequest)));
            return Malformed(document, $"The value at '{path}' has the wrong type ({expected}).", new SocketRequest { RequestId = RequestIdOf(document.RootElement) });
        }

        return string.IsNullOrWhiteSpace(request.Type)
            ? Malformed(document, "The message needs a \"type\": subscribe, unsubscribe, execute, stdin, kill or ping.", request)
            : new SocketRequestParser(document, request, null);
    }

    /// <summary>The message's <c>requestId</c> even when another field kept it from being read, so the error can echo it.</summary>
    private static string? RequestIdOf(JsonElement message) =>
        message.TryGetProperty("requestId", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? id.ValueKind is JsonValueKind.String ? id.GetString() : id.GetRawText()
            : null;

    public void Dispose() => _document?.Dispose();

    private static SocketRequestParser Malformed(JsonDocument? document, string message, SocketRequest? request = null) =>
        new(document, request, SocketReply.Error(SocketErrors.Malformed, message, request));
}
