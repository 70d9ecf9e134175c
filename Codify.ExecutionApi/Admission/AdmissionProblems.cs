namespace Codify.ExecutionApi.Admission;

/// <summary>Rejections written by middleware, as RFC 9457 problems like the endpoints' own.</summary>
internal static class AdmissionProblems
{
    public static Task WriteAsync(HttpContext context, int statusCode, string title, string detail, int? retryAfterSeconds = null)
    {
        if (retryAfterSeconds is { } seconds)
        {
            RetryAfter.Set(context.Response, seconds);
        }

        return TypedResults.Problem(detail, statusCode: statusCode, title: title).ExecuteAsync(context);
    }
}
