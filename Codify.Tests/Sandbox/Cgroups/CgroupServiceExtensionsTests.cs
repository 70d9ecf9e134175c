using Codify.Sandbox.Cgroups;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Codify.Tests.Sandbox.Cgroups;

/// <summary>The DI helper resolves the driver detected on this host, or one that refuses every run.</summary>
[SandboxTier]
public sealed class CgroupServiceExtensionsTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        return services.AddCgroupDriver().BuildServiceProvider();
    }

    [Fact]
    public void On_this_host_the_v1_driver_is_registered()
    {
        using var services = Services([]);

        Assert.Equal("v1", services.GetRequiredService<ICgroupDriver>().Version);
    }

    [Fact]
    public void Unreadable_host_descriptions_register_a_driver_that_refuses_runs()
    {
        using var services = Services(new() { ["Cgroups:MountsPath"] = "/nonexistent/mounts" });

        var driver = services.GetRequiredService<ICgroupDriver>();

        Assert.Equal("none", driver.Version);
        var e = Assert.Throws<CgroupException>(() => driver.Create("run", new(1000, 1000, 64L << 20, 16, 1024, 1024)));
        Assert.Contains("/nonexistent/mounts", e.Message, StringComparison.Ordinal);
    }
}
