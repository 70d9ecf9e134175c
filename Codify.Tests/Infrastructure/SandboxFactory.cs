using Codify.Sandbox;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Codify.Tests.Infrastructure;

/// <summary>The real Sandbox service in-process, pointed at a test Redis; its hosted services run real bubblewrap.</summary>
public sealed class SandboxFactory(string redisConnectionString, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<SandboxMarker>
{
    /// <summary>Slots of a test replica unless a test sets its own: fewer than the seed's 10, for a small, shared test machine.</summary>
    public const int Slots = 4;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:redis", redisConnectionString);
        // Fast heartbeats and reclaims keep the tests quick; the ratio rule (heartbeat < idle / 2) still holds.
        builder.UseSetting("Sandbox:HeartbeatSeconds", "1");
        builder.UseSetting("Sandbox:ReclaimIdleSeconds", "3");
        builder.UseSetting("Sandbox:PollIntervalMs", "200");
        builder.UseSetting("MAX_CONCURRENT_EXECUTIONS", Slots.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // No pooled session kernels unless a test asks (each preloads numpy, pandas and matplotlib: seconds of CPU per replica).
        builder.UseSetting("Sessions:Pool:Python", "0");
        builder.UseSetting("Sessions:Pool:Node", "0");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
