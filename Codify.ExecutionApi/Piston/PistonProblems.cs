using Microsoft.AspNetCore.Http.HttpResults;

namespace Codify.ExecutionApi.Piston;

/// <summary>
/// RFC 9457 problems that a Piston client can also read: Piston answers errors as <c>{ "message": "..." }</c>, so each
/// problem carries a <c>message</c> extension member alongside <c>title</c>, <c>detail</c> and (for 400) <c>errors</c>.
/// </summary>
public static class PistonProblems
{
    public static ProblemHttpResult Invalid(Dictionary<string, string[]> errors)
    {
        var message = Message(errors);
        return TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The execute request is invalid.",
            Detail = message,
            Extensions = { ["message"] = message },
        });
    }

    /// <summary>Piston's one-line <c>message</c> for errors by field: each prefixed by its field unless it names it already.</summary>
    public static string Message(Dictionary<string, string[]> errors) =>
        string.Join("; ", errors.SelectMany(e => e.Value.Select(m => m.StartsWith(e.Key, StringComparison.Ordinal) ? m : $"{e.Key}: {m}")));

    public static ProblemHttpResult Of(int status, string title, string message, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["message"] = message };
        return TypedResults.Problem(message, statusCode: status, title: title, extensions: all);
    }
}
