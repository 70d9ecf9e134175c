using System.Text.Json;

namespace Codify.ExecutionApi.BadRequests;

/// <summary>
/// Says which field of a JSON document a <see cref="JsonException"/> is about (its JSON path, e.g. <c>$.limits.memory</c>)
/// and what was expected there, in words a client can act on; shared by every transport that reads JSON.
/// </summary>
public static class JsonErrorWords
{
    private const string ConversionPrefix = "The JSON value could not be converted to ";

    public static string PathOf(JsonException exception) => string.IsNullOrEmpty(exception.Path) ? "$" : exception.Path;

    /// <summary>What was wrong at <see cref="PathOf"/>; <paramref name="root"/> is the type the whole document was read as.</summary>
    public static string Explain(JsonException exception, Type root)
    {
        var message = exception.Message;
        if (message.StartsWith(ConversionPrefix, StringComparison.Ordinal))
        {
            var target = JsonPathType.Resolve(root, PathOf(exception));
            return target is null ? "has the wrong type" : $"expected {ExpectedValue.Of(target)}";
        }

        var position = exception.LineNumber is { } line && exception.BytePositionInLine is { } column
            ? $" (line {line + 1}, byte {column + 1})"
            : "";
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return $"is not valid JSON{position}: {(cut < 0 ? message : message[..cut])}";
    }
}
