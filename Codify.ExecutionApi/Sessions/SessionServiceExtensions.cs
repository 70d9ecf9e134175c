namespace Codify.ExecutionApi.Sessions;

public static class SessionServiceExtensions
{
    public static IServiceCollection AddSessions(this IServiceCollection services)
    {
        services.AddOptions<SessionOptions>()
            .BindConfiguration(SessionOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.DefaultIdleTimeoutSeconds <= o.MaxIdleTimeoutSeconds, "Sessions:DefaultIdleTimeoutSeconds must not exceed Sessions:MaxIdleTimeoutSeconds")
            .ValidateOnStart();
        services.AddHostedService<SessionSweep>();
        return services
            .AddSingleton<SessionStore>()
            .AddSingleton<SessionCourier>()
            .AddSingleton<SessionPlacement>()
            .AddSingleton<SessionService>();
    }
}
