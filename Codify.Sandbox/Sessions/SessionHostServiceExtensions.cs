using Codify.Sandbox.Launch;
using Codify.Sandbox.Pool;
using Codify.Sandbox.Sessions.Pool;
using Codify.Sandbox.Supervision;
using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Sessions;

public static class SessionHostServiceExtensions
{
    /// <summary>Sessions on this replica: their sandboxes, their kernel pool, their stream, their expiry.</summary>
    public static IServiceCollection AddSessionHost(this IServiceCollection services)
    {
        services.AddOptions<SessionHostOptions>()
            .BindConfiguration(SessionHostOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<KernelPoolOptions>()
            .BindConfiguration(KernelPoolOptions.Section)
            .ValidateDataAnnotations()
            .Validate<IOptions<SessionHostOptions>, IOptions<SandboxOptions>, IOptions<PoolOptions>, IOptions<IsolationOptions>>(
                (kernels, sessions, sandbox, warm, isolation) => kernels.Python + kernels.Node + sessions.Value.MaxSessionsPerReplica
                    + warm.Value.Python + warm.Value.Node + sandbox.Value.MaxConcurrentExecutions <= isolation.Value.HostUidCount,
                "Isolation:HostUidCount must cover Sandbox:MaxConcurrentExecutions, the warm pool (Sandbox:Pool), Sessions:MaxSessionsPerReplica and the kernel pool (Sessions:Pool:Python + Node): each holds a host uid")
            .ValidateOnStart();
        services.AddSingleton<SessionRecords>();
        services.AddSingleton<KernelPool>();
        services.AddHostedService(sp => sp.GetRequiredService<KernelPool>());
        services.AddSingleton<SessionHost>();
        services.AddSingleton<ISessionCellRunner>(sp => sp.GetRequiredService<SessionHost>());
        services.AddSingleton<SessionRequestHandler>();
        services.AddSingleton<SessionExpiry>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionExpiry>());
        services.AddHostedService<SessionStreamConsumer>();
        return services;
    }
}
