using Codify.ExecutionApi.Admission;
using Microsoft.Extensions.Options;

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
        builder.Services.AddHostedService<SocketMetrics>();
        return builder;
    }

    /// <summary>
    /// WebSockets on, with keep-alive pings and, for browsers, only the origins CORS allows (FRONTEND_URL): a page on
    /// another site cannot open a socket with the visitor's cookies or network position (cross-site WebSocket hijacking).
    /// </summary>
    public static WebApplication UseExecutionWebSockets(this WebApplication app)
    {
        var keepAlive = TimeSpan.FromSeconds(app.Services.GetRequiredService<IOptions<SocketOptions>>().Value.KeepAliveSeconds);
        var sockets = new WebSocketOptions { KeepAliveInterval = keepAlive, KeepAliveTimeout = keepAlive };
        foreach (var origin in app.Services.GetRequiredService<IOptions<FrontendOptions>>().Value.Origins().OfType<string>())
        {
            sockets.AllowedOrigins.Add(origin);
        }

        app.UseWebSockets(sockets);
        return app;
    }
}
