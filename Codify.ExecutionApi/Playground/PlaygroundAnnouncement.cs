using Codify.ExecutionApi.Apis;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Codify.ExecutionApi.Playground;

/// <summary>Logs the playground's address once the API listens, so a newcomer sees where to open it.</summary>
public static partial class PlaygroundAnnouncement
{
    public static WebApplication AnnouncePlayground(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            foreach (var address in addresses)
            {
                var url = Browsable(address) + PlaygroundApi.Path;
                LogPlayground(app.Logger, url);
            }
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Playground: {PlaygroundUrl}")]
    private static partial void LogPlayground(ILogger logger, string playgroundUrl);

    /// <summary>A wildcard listening address as a browser would open it (0.0.0.0 and [::] mean this machine too).</summary>
    public static string Browsable(string address) => address
        .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
        .Replace("://[::]", "://localhost", StringComparison.Ordinal)
        .Replace("://+", "://localhost", StringComparison.Ordinal)
        .Replace("://*", "://localhost", StringComparison.Ordinal)
        .TrimEnd('/');
}
