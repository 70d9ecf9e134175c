using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;

namespace Codify.ExecutionApi.BadRequests;

/// <summary>
/// The one place where a request the framework could not bind (broken or mistyped JSON, an empty body, a query value
/// of the wrong type, a non-JSON content type) becomes an RFC 9457 validation problem whose <c>errors</c> name the
/// field (a JSON path such as <c>$.limits.memory</c>, or the query parameter) and what was expected, for every endpoint.
/// </summary>
public sealed partial class BadRequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public const string Title = "The request could not be read.";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // Only binding failures: a body over Kestrel's cap (413) keeps the admission's own problem.
        if (exception is not BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest or StatusCodes.Status415UnsupportedMediaType } bad
            || httpContext.Response.HasStarted)
        {
            return false;
        }

        // The middleware clears the endpoint before handlers run; the feature keeps the one that failed.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
        var body = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType ?? typeof(object);
        var (field, expected) = Describe(bad, body);
        httpContext.Response.StatusCode = bad.StatusCode;
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [expected] })
        {
            Status = bad.StatusCode,
            Title = Title,
            Detail = $"{field}: {expected}",
        };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The field and what it should have been, read from the exception the framework's binding threw.</summary>
    public static (string Field, string Expected) Describe(BadHttpRequestException bad, Type body)
    {
        if (bad.InnerException is JsonException json)
        {
            return (JsonErrorWords.PathOf(json), JsonErrorWords.Explain(json, body));
        }

        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return ("Content-Type", "expected application/json");
        }

        if (bad.Message.Contains("body", StringComparison.Ordinal))
        {
            return ("$", "expected a JSON object; the request body was empty");
        }

        var parameter = BoundParameter().Match(bad.Message);
        if (!parameter.Success)
        {
            return ("$", bad.Message);
        }

        var name = parameter.Groups["name"].Value;
        return parameter.Groups["value"].Success
            ? (name, $"expected {ExpectedValue.Of(parameter.Groups["type"].Value)}, got '{parameter.Groups["value"].Value}'")
            : (name, "is required");
    }

    // Binding failures read: Failed to bind parameter "Nullable<int> limit" from "abc".
    [GeneratedRegex("""parameter "(?<type>[^"]+) (?<name>[^" ]+)"(?: from "(?<value>[^"]*)")?""")]
    private static partial Regex BoundParameter();
}
