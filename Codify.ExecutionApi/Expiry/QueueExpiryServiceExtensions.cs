namespace Codify.ExecutionApi.Expiry;

public static class QueueExpiryServiceExtensions
{
    public static IServiceCollection AddQueueExpiry(this IServiceCollection services)
    {
        services.AddOptions<QueueExpiryOptions>()
            .BindConfiguration(QueueExpiryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<QueueExpiry>();
        return services;
    }
}
