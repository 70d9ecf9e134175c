using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Executions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codify.ExecutionApi.Apis;

/// <summary>Problems several endpoints answer, built once.</summary>
public static class ApiProblems
{
    public static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(ExecutionNotFound.Detail(id), statusCode: StatusCodes.Status404NotFound, title: ExecutionNotFound.Title);

    /// <summary>A 503 that says when to come back.</summary>
    public static ProblemHttpResult Unavailable(HttpResponse response, string title, string detail, int retryAfterSeconds = RetryAfter.UnavailableSeconds)
    {
        RetryAfter.Set(response, retryAfterSeconds);
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: title);
    }
}
