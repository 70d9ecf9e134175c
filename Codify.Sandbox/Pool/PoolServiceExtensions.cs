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
            .Configure<IConfiguration>((pool, config) =>
            {
                // Left unset, the pool follows the API's default limit: warm sandboxes are prepared for the runs that come.
                if (config[$"{PoolOptions.Section}:{nameof(PoolOptions.MemoryBytes)}"] is null
                    && config.GetValue<long?>(PoolOptions.ApiDefaultMemoryKey) is { } apiDefault)
                {
                    pool.MemoryBytes = apiDefault;
                }
            })
            .PostConfigure<IOptions<SandboxOptions>, IConfiguration>((pool, sandbox, config) =>
            {
                // Cold mode keeps no warm sandbox at all.
                if (sandbox.Value.Mode == SandboxMode.Cold)
                {
                    (pool.Python, pool.Node) = (0, 0);
                }

                // Forked runs serve python: a single-use warm python would only cost idle memory and refill CPU, unless asked for.
                if (sandbox.Value.Mode == SandboxMode.ForkServer && config[$"{PoolOptions.Section}:{nameof(PoolOptions.Python)}"] is null)
                {
                    pool.Python = 0;
                }
            })
            .ValidateDataAnnotations()
            .Validate<IConfiguration>(
                (pool, config) => config.GetValue<long?>(PoolOptions.ApiDefaultMemoryKey) is not { } apiDefault || apiDefault == pool.MemoryBytes,
                $"Sandbox:Pool:MemoryBytes contradicts {PoolOptions.ApiDefaultMemoryKey}: the pool prepares warm sandboxes for the API's default memory limit, so set the two alike or leave Sandbox:Pool:MemoryBytes unset to follow it")
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
