namespace Codify.ExecutionApi.Admission;

/// <summary>When API keys are configured: 401 for a request without a valid one, except the health endpoints.</summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeys keys, AdmissionMetrics metrics)
{
    private static readonly PathString[] OpenPaths = ["/health", "/alive", "/api/health/ready"];

    /// <summary>Only the basic one: <c>/api/health/detailed</c> describes the replicas and needs a key.</summary>
    private const string BasicHealth = "/api/health";

    public Task InvokeAsync(HttpContext context)
    {
        if (!keys.Required || OpenPaths.Any(p => context.Request.Path.StartsWithSegments(p))
            || string.Equals(context.Request.Path.Value?.TrimEnd('/'), BasicHealth, StringComparison.OrdinalIgnoreCase))
        {
            return next(context);
        }

        var presented = ApiKeys.Presented(context.Request);
        if (keys.Match(presented) is { } keyId)
        {
            context.Features.Set(ClientIdentity.ForKey(keyId));
            return next(context);
        }

        metrics.Rejected("unauthorized");
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return AdmissionProblems.WriteAsync(context, StatusCodes.Status401Unauthorized,
            presented is null ? "API key required" : "Invalid API key",
            $"Send a valid API key in the {ApiKeys.Header} header (or as Authorization: Bearer <key>).");
    }
}
