using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Codify.ExecutionApi.Health;

public static class HealthServiceExtensions
{
    /// <summary>
    /// The API's health checks: Redis (Unhealthy when it does not answer), sandboxes (Degraded without a healthy replica:
    /// the API still serves reads) and queue (Degraded when full). The first two decide readiness.
    /// </summary>
    public static IHostApplicationBuilder AddHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HealthOptions>()
            .BindConfiguration(HealthOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<SandboxRegistry>();
        builder.Services.AddExceptionHandler<RedisUnavailableHandler>();
        builder.Services.AddHealthChecks()
            .AddCheck<RedisHealthCheck>(HealthTags.Redis, HealthStatus.Unhealthy, [HealthTags.Ready])
            .AddCheck<SandboxesHealthCheck>(HealthTags.Sandboxes, HealthStatus.Degraded, [HealthTags.Ready])
            .AddCheck<QueueHealthCheck>(HealthTags.Queue, HealthStatus.Degraded, [HealthTags.Detail]);
        return builder;
    }
}
