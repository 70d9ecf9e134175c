using Codify.Sandbox.Supervision;

namespace Codify.Sandbox.Sessions;

public static class SessionHostServiceExtensions
{
    /// <summary>Sessions on this replica: their sandboxes, their stream, their expiry.</summary>
    public static IServiceCollection AddSessionHost(this IServiceCollection services)
    {
        services.AddOptions<SessionHostOptions>()
            .BindConfiguration(SessionHostOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SessionRecords>();
        services.AddSingleton<SessionHost>();
        services.AddSingleton<ISessionCellRunner>(sp => sp.GetRequiredService<SessionHost>());
        services.AddSingleton<SessionRequestHandler>();
        services.AddSingleton<SessionExpiry>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionExpiry>());
        services.AddHostedService<SessionStreamConsumer>();
        return services;
    }
}
