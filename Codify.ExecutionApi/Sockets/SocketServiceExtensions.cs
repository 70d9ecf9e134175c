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
    /// WebSockets on, with keep-alive pings and, for browsers, only the origins CORS allows (FRONTEND_URL) and the API's
    /// own pages: a page on another site cannot open a socket with the visitor's cookies or network position (cross-site
    /// WebSocket hijacking); another Origin gets 403 before the upgrade.
    /// </summary>
    public static WebApplication UseExecutionWebSockets(this WebApplication app)
    {
        var keepAlive = TimeSpan.FromSeconds(app.Services.GetRequiredService<IOptions<SocketOptions>>().Value.KeepAliveSeconds);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = keepAlive, KeepAliveTimeout = keepAlive });
        var origins = new SocketOrigins(app.Services.GetRequiredService<IOptions<FrontendOptions>>().Value.Origins().OfType<string>());
        app.Use((context, next) =>
        {
            if (context.WebSockets.IsWebSocketRequest && !origins.Allows(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }

            return next(context);
        });
        return app;
    }
}
