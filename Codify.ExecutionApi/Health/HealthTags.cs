using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Codify.ExecutionApi.Health;

/// <summary>Names and tags of the API's health checks.</summary>
public static class HealthTags
{
    /// <summary>The tag of liveness checks (<c>/alive</c>, <c>/api/health</c>), set by the service defaults.</summary>
    public const string Live = "live";

    /// <summary>Checks that must all be Healthy for <c>/api/health/ready</c>.</summary>
    public const string Ready = "ready";

    /// <summary>Checks reported by <c>/api/health/detailed</c> that do not decide readiness.</summary>
    public const string Detail = "detail";

    public const string Redis = "redis";
    public const string Sandboxes = "sandboxes";
    public const string Queue = "queue";

    /// <summary>"healthy", "degraded" or "unhealthy".</summary>
    public static string Wire(HealthStatus status) => status.ToString().ToLowerInvariant();
}
