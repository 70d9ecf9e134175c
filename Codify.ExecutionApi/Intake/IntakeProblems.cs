using Codify.ExecutionApi.Admission;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codify.ExecutionApi.Intake;

/// <summary>The REST transports' replies to an intake outcome that queued nothing: RFC 9457 problems, Retry-After on refusals.</summary>
public static class IntakeProblems
{
    public const string InvalidTitle = "The execution request is invalid.";

    public static HttpValidationProblemDetails Invalid(IntakeInvalid invalid, string title = InvalidTitle)
    {
        var problem = new HttpValidationProblemDetails(invalid.Errors) { Status = StatusCodes.Status400BadRequest, Title = title };
        if (invalid.AvailableVersion is { } available)
        {
            problem.Extensions["available"] = new[] { available };
        }

        return problem;
    }

    /// <summary>The problem for a refusal; also writes its Retry-After and, when the budget was consulted, the RateLimit headers.</summary>
    public static ProblemHttpResult Refused(HttpResponse response, IntakeRefused refused)
    {
        RateLimitHeaders.Write(response, refused.RateLimit);
        RetryAfter.Set(response, refused.RetryAfterSeconds);
        return TypedResults.Problem(refused.Detail, statusCode: refused.StatusCode, title: refused.Title);
    }

    /// <summary>The problem for any outcome that queued nothing.</summary>
    public static ProblemHttpResult NotQueued(HttpResponse response, IntakeOutcome outcome) => outcome switch
    {
        IntakeRefused refused => Refused(response, refused),
        IntakeInvalid invalid => Rejected(response, invalid),
        _ => throw new ArgumentException($"{outcome.GetType().Name} queued something", nameof(outcome)),
    };

    private static ProblemHttpResult Rejected(HttpResponse response, IntakeInvalid invalid)
    {
        RateLimitHeaders.Write(response, invalid.RateLimit);
        return TypedResults.Problem(Invalid(invalid));
    }
}
