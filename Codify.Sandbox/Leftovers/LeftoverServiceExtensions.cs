using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;

namespace Codify.Sandbox.Leftovers;

public static class LeftoverServiceExtensions
{
    /// <summary>
    /// Gives this process a <see cref="ReplicaLife"/>: its run cgroups go below <c>codify-TAG</c> and its run folders below
    /// <c>RunRoot/TAG</c>, and at start it removes what dead lives left. Register before anything that starts runs.
    /// </summary>
    public static IServiceCollection AddLeftoverSweep(this IServiceCollection services)
    {
        services.AddOptions<LeftoverOptions>()
            .BindConfiguration(LeftoverOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ReplicaLife>();
        services.AddOptions<CgroupOptions>()
            .PostConfigure<ReplicaLife>((o, life) => o.ParentName = ReplicaLife.CgroupParentName(o.ParentName, life.Tag));
        services.AddOptions<IsolationOptions>()
            .PostConfigure<ReplicaLife>((o, life) => o.RunRoot = Path.Combine(o.RunRoot, life.Tag));
        services.AddHostedService<LeftoverSweep>();
        return services;
    }
}
