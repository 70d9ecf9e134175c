using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Codify.AppHost;

internal static class ApiEndpoint
{
    private const int DefaultPort = 8080;
    private const string DefaultHost = "localhost";

    /// <summary>
    /// The API's public HTTP endpoint: <c>http://localhost:8080</c> unless the AppHost is given
    /// <c>PORT</c> / <c>HOST</c> (e.g. <c>HOST=0.0.0.0</c> to listen on every interface).
    /// The endpoint is proxied, which lets the testing builder move it to a random port
    /// (<c>DcpPublisher:RandomizePorts</c>) so tests never collide with a running dev instance.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPublicHttpEndpoint(this IResourceBuilder<ProjectResource> builder, IConfiguration configuration)
    {
        var port = DefaultPort;
        if (configuration["PORT"] is { Length: > 0 } portText
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new InvalidOperationException($"PORT must be a TCP port number (1-65535), not '{portText}'.");
        }

        var host = configuration["HOST"] is { Length: > 0 } h ? h : DefaultHost;

        builder
            .WithHttpEndpoint(port: port, name: "http")
            .WithEndpoint("http", e => e.TargetHost = host);

        // The service inherits the AppHost's environment: without this, its own PORT/HOST handling would
        // bind the public port that the proxy already holds. Behind the proxy it listens on the target port.
        var endpoint = builder.GetEndpoint("http");
        return builder
            .WithEnvironment("PORT", endpoint.Property(EndpointProperty.TargetPort))
            .WithEnvironment("HOST", host);
    }
}
