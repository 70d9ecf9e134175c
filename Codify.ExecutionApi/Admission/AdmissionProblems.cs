namespace Codify.ExecutionApi.Admission;

/// <summary>Rejections written by middleware, as RFC 9457 problems like the endpoints' own.</summary>
internal static class AdmissionProblems
{
    public static Task WriteAsync(HttpContext context, int statusCode, string title, string detail, int? retryAfterSeconds = null)
    {
        if (retryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(detail, statusCode: statusCode, title: title).ExecuteAsync(context);
    }
}
