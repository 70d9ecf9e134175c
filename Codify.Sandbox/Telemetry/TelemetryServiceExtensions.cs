namespace Codify.Sandbox.Telemetry;

public static class TelemetryServiceExtensions
{
    /// <summary>The Sandbox's instruments and span factory (the source and meter names are registered by the service defaults).</summary>
    public static IServiceCollection AddSandboxTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<SandboxMetrics>();
        services.AddSingleton<SandboxTelemetry>();
        services.AddSingleton<RunPathTally>();
        services.AddHostedService(sp => sp.GetRequiredService<RunPathTally>());
        return services;
    }
}
