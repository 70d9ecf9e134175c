using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Codify.AppHost;

internal static class ApiEndpoint
{
    /// <summary>The seed's defaults, the same as the API's own when it runs without the AppHost.</summary>
    public const int DefaultPort = 8080;
    public const string DefaultHost = "0.0.0.0";

    /// <summary>
    /// The API's public HTTP endpoint, <c>http://HOST:PORT</c> (default every IPv4 interface, port 8080): the API binds it
    /// itself, no orchestrator proxy in between. Behind the proxy every client arrived from 127.0.0.1, so the per-client
    /// budgets (rate limit, WebSockets per client) were one budget shared by everybody, and the proxy listened on
    /// loopback only, whatever HOST said. <c>PORT=0</c> lets the orchestrator pick a free port (the tests do that, so
    /// they never collide with a running <c>./run.sh</c>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPublicHttpEndpoint(this IResourceBuilder<ProjectResource> builder, IConfiguration configuration)
    {
        var port = Port(configuration);
        var host = configuration["HOST"] is { Length: > 0 } h ? h : DefaultHost;

        builder
            .WithHttpEndpoint(port: port, name: "http", isProxied: false)
            .WithEndpoint("http", e => e.TargetHost = host);

        // The API reads PORT and HOST itself (they win over the ASPNETCORE_URLS the AppHost also sets); with PORT=0 it
        // gets the port the orchestrator picked.
        var endpoint = builder.GetEndpoint("http");
        return builder
            .WithEnvironment("PORT", endpoint.Property(EndpointProperty.TargetPort))
            .WithEnvironment("HOST", host);
    }

    /// <summary>PORT as given, <see cref="DefaultPort"/> when unset, null (the orchestrator picks) for 0.</summary>
    private static int? Port(IConfiguration configuration)
    {
        if (configuration["PORT"] is not { Length: > 0 } text)
        {
            return DefaultPort;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new InvalidOperationException($"PORT must be a TCP port number (1-65535, or 0 for any free port), not '{text}'.");
        }

        return port == 0 ? null : port;
    }
}
