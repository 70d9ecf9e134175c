using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Codify.AppHost.Redis;

public static class RedisServerBuilderExtensions
{
    /// <summary>
    /// Adds the app's Redis, run by the local <c>redis-server</c>: loopback only, on a free port, durable in the data
    /// folder (<see cref="RedisDataDirectory"/>). Resources that <c>WaitFor</c> it start once it answers PING.
    /// </summary>
    public static IResourceBuilder<RedisServerResource> AddRedisServer(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // The endpoint is not proxied, so every Redis round trip goes straight to redis-server rather
        // than through the orchestrator's TCP proxy. A proxy-less endpoint needs its port up front.
        var port = FindFreeLoopbackPort();
        var redis = new RedisServerResource(name, builder.AppHostDirectory, port);

        var healthCheckName = $"{name}_ping";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckName, _ => new RedisPingHealthCheck(redis), failureStatus: null, tags: null));

        return builder.AddResource(redis)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: RedisServerResource.PrimaryEndpointName, isProxied: false)
            .WithEndpoint(RedisServerResource.PrimaryEndpointName, e => e.TargetHost = RedisServerResource.BindAddress)
            .WithArgs([.. RedisServerArguments.Build(port, RedisDataDirectory.Resolve(builder.Configuration, builder.AppHostDirectory))])
            .WithHealthCheck(healthCheckName);
    }

    private static int FindFreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
