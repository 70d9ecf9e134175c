using Codify.Sandbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Codify.Tests.Infrastructure;

/// <summary>The real Sandbox service in-process, pointed at a test Redis; its hosted services run real bubblewrap.</summary>
public sealed class SandboxFactory(string redisConnectionString, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<SandboxMarker>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:redis", redisConnectionString);
        // Fast heartbeats and reclaims keep the tests quick; the ratio rule (heartbeat < idle / 2) still holds.
        builder.UseSetting("Sandbox:HeartbeatSeconds", "1");
        builder.UseSetting("Sandbox:ReclaimIdleSeconds", "3");
        builder.UseSetting("Sandbox:PollIntervalMs", "200");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
