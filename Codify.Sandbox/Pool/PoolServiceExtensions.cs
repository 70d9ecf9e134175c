using Codify.Sandbox.Launch;
using Codify.Sandbox.Supervision;
using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Pool;

public static class PoolServiceExtensions
{
    /// <summary>
    /// The warm pool (<see cref="PoolOptions"/>, section "Sandbox:Pool") and <see cref="ISandboxRunner"/> as the pooled
    /// runner, cold path as fallback. With both sizes 0 no warm sandbox is ever started and every run is cold.
    /// </summary>
    public static IServiceCollection AddSandboxPool(this IServiceCollection services)
    {
        services.AddOptions<PoolOptions>()
            .BindConfiguration(PoolOptions.Section)
            .ValidateDataAnnotations()
            .Validate<IOptions<SandboxOptions>, IOptions<IsolationOptions>>(
                (pool, sandbox, isolation) => pool.Python + pool.Node + sandbox.Value.MaxConcurrentExecutions <= isolation.Value.HostUidCount,
                "Isolation:HostUidCount must cover Sandbox:MaxConcurrentExecutions plus the warm pool (Sandbox:Pool:Python + Node): each idle warm sandbox holds a host uid")
            .ValidateOnStart();
        services.AddSingleton<SandboxPool>();
        services.AddHostedService(sp => sp.GetRequiredService<SandboxPool>());
        services.AddSingleton<PooledSandboxRunner>();
        services.AddSingleton<ISandboxRunner>(sp => sp.GetRequiredService<PooledSandboxRunner>());
        return services;
    }
}
