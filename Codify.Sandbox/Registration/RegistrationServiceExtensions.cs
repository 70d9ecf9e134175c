namespace Codify.Sandbox.Registration;

public static class RegistrationServiceExtensions
{
    /// <summary>The registry entry the heartbeat keeps fresh (see <see cref="ReplicaRegistration"/>).</summary>
    public static IServiceCollection AddReplicaRegistration(this IServiceCollection services)
    {
        services.AddOptions<RegistrationOptions>()
            .BindConfiguration(RegistrationOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<Runtimes.LocalRuntimes>();
        services.AddSingleton<ReplicaFacts>();
        services.AddSingleton<ReplicaRegistration>();
        return services;
    }
}
