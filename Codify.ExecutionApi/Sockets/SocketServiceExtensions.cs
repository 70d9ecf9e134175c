namespace Codify.ExecutionApi.Sockets;

public static class SocketServiceExtensions
{
    public static IHostApplicationBuilder AddExecutionSockets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SocketOptions>()
            .BindConfiguration(SocketOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<SocketRegistry>();
        builder.Services.AddSingleton<SocketExecutor>();
        builder.Services.AddSingleton<SocketServices>();
        return builder;
    }
}
