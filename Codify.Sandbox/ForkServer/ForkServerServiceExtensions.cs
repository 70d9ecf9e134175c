using Codify.Sandbox.Launch;
using Codify.Sandbox.Supervision;
using Microsoft.Extensions.Options;

namespace Codify.Sandbox.ForkServer;

public static class ForkServerServiceExtensions
{
    /// <summary>
    /// The python fork server (<see cref="ForkServerOptions"/>, section "Sandbox:ForkServer") and <see cref="ISandboxRunner"/>
    /// as the forking runner in front of the pooled one. With Sandbox:Mode other than ForkServer no server is started and
    /// every run goes straight to the pooled runner. Call after AddSandboxPool.
    /// </summary>
    public static IServiceCollection AddForkServer(this IServiceCollection services)
    {
        services.AddOptions<ForkServerOptions>()
            .BindConfiguration(ForkServerOptions.Section)
            .ValidateDataAnnotations()
            .Validate<IOptions<IsolationOptions>>(
                (fork, isolation) => fork.HostUidBase + fork.HostUidCount <= isolation.Value.HostUidBase
                    || isolation.Value.HostUidBase + isolation.Value.HostUidCount <= fork.HostUidBase,
                "Sandbox:ForkServer:HostUidBase/HostUidCount overlap Isolation:HostUidBase/HostUidCount: a forked run could share a host uid with a pooled or cold one")
            .Validate<IOptions<SandboxOptions>>(
                (fork, sandbox) => fork.HostUidCount - 1 >= sandbox.Value.MaxConcurrentExecutions + (2 * fork.Prefork * fork.Servers),
                "Sandbox:ForkServer:HostUidCount must cover the server's own uid, Sandbox:MaxConcurrentExecutions and twice Sandbox:ForkServer:Prefork per server (the idle children of a server and of its replacement; two servers with Lean)")
            .ValidateOnStart();
        services.AddSingleton<ForkServers>();
        services.AddHostedService(sp => sp.GetRequiredService<ForkServers>());
        // The lean server (nothing preloaded) beside it; it starts only with Sandbox:ForkServer:Lean.
        services.AddKeyedSingleton(ForkServers.LeanKey, (sp, _) => ActivatorUtilities.CreateInstance<ForkServers>(sp,
            Options.Create(sp.GetRequiredService<IOptions<ForkServerOptions>>().Value.LeanVariant())));
        // Not AddHostedService: it keeps one hosted service per implementation type, and this one's is ForkServers too.
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredKeyedService<ForkServers>(ForkServers.LeanKey));
        services.AddSingleton<ForkServerRunner>();
        services.AddSingleton<ISandboxRunner>(sp => sp.GetRequiredService<ForkServerRunner>());
        return services;
    }
}
