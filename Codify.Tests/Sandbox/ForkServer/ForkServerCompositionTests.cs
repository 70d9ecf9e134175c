using Codify.Sandbox.ForkServer;
using Codify.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Codify.Tests.Sandbox.ForkServer;

/// <summary>The Sandbox as composed (not the test fixture's hand-built servers) runs both fork servers in ForkServer mode.</summary>
[ApiTier]
public sealed class ForkServerCompositionTests
{
    [Fact]
    public async Task The_service_starts_the_preloaded_and_the_lean_fork_server()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var sandbox = new SandboxFactory(redis.ConnectionString, new Dictionary<string, string?> { ["Sandbox:Mode"] = "ForkServer" });
        _ = sandbox.Server;

        var servers = sandbox.Services.GetServices<IHostedService>().OfType<ForkServers>().ToList();

        Assert.Equal(2, servers.Count);
        Assert.Single(servers, s => s.PreloadRoots.Count == 0);
        await Eventually.ReturnsAsync(() => Task.FromResult(servers.Count(s => s.Current is not null)), running => running == 2,
            TimeSpan.FromSeconds(90), "both fork servers running");
    }
}
