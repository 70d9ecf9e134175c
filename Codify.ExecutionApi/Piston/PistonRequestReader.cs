using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codify.ExecutionApi.Piston;

/// <summary>
/// Reads the Piston request body itself, so that every failure is answered in the problem + <c>message</c> shape a
/// Piston client reads: a non-JSON content type is a 415, broken JSON names <c>body</c>, a wrong type names its field.
/// </summary>
public static class PistonRequestReader
{
    public static async Task<(PistonExecuteRequest? Request, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest http, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        if (!http.HasJsonContentType())
        {
            return (null, PistonProblems.Of(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "requests must be of type application/json"));
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return (null, Invalid("body", "body is not valid JSON"));
        }

        using (document)
        {
            var (request, errors) = Read(document.RootElement, options);
            return (request, errors is null ? null : PistonProblems.Invalid(errors));
        }
    }

    /// <summary>One request object (an HTTP body or a WebSocket <c>init</c>): the request, or errors keyed by Piston's field names.</summary>
    public static (PistonExecuteRequest? Request, Dictionary<string, string[]>? Errors) Read(JsonElement root, JsonSerializerOptions options)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, Error("body", "body must be a JSON object"));
        }

        try
        {
            return (root.Deserialize<PistonExecuteRequest>(options), null);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            var expected = BadRequests.JsonErrorWords.Explain(e, typeof(PistonExecuteRequest));
            return (null, Error(field, expected.StartsWith("expected", StringComparison.Ordinal) ? $"{field} has the wrong type: {expected}" : $"{field} {expected}"));
        }
    }

    private static Dictionary<string, string[]> Error(string field, string message) => new() { [field] = [message] };

    private static ProblemHttpResult Invalid(string field, string message) => PistonProblems.Invalid(Error(field, message));
}
