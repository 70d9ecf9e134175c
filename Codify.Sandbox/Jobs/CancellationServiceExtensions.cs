namespace Codify.Sandbox.Jobs;

public static class CancellationServiceExtensions
{
    /// <summary>The registry of this replica's runs and the listener that kills the ones the API cancels.</summary>
    public static IServiceCollection AddJobCancellation(this IServiceCollection services)
    {
        services.AddSingleton<RunningJobs>();
        services.AddSingleton<CancelRequests>();
        services.AddHostedService<CancelListener>();
        return services;
    }
}
