namespace Codify.ExecutionApi.Piston.Connect;

public static class PistonConnectServiceExtensions
{
    public static IHostApplicationBuilder AddPistonConnect(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PistonConnectOptions>()
            .BindConfiguration(PistonConnectOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<PistonConnectServices>();
        return builder;
    }
}
