namespace Codify.ExecutionApi.Cancellation;

public static class CancellationServiceExtensions
{
    public static IServiceCollection AddCancellation(this IServiceCollection services)
    {
        services.AddOptions<CancelOptions>()
            .BindConfiguration(CancelOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ExecutionCanceller>();
        return services;
    }
}
