namespace Codify.ExecutionApi.Telemetry;

public static class TelemetryServiceExtensions
{
    /// <summary>The API's instruments (the activity source and meter names are registered by the service defaults).</summary>
    public static IHostApplicationBuilder AddApiTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ApiMetrics>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ApiMetrics>());
        return builder;
    }
}
