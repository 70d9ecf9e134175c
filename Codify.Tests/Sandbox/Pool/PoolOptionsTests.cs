using Codify.Sandbox;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Pool;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Codify.Tests.Sandbox.Pool;

/// <summary>Idle warm sandboxes count against the host uid budget: start-up refuses a pool the uids cannot cover.</summary>
[UnitTier]
public sealed class PoolOptionsTests
{
    private static PoolOptions Resolve(int hostUids) =>
        Build(new Dictionary<string, string?>
        {
            ["Isolation:HostUidCount"] = hostUids.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sandbox:MaxConcurrentExecutions"] = "4",
            ["Sandbox:Pool:Python"] = "2",
            ["Sandbox:Pool:Node"] = "1",
        }).GetRequiredService<IOptions<PoolOptions>>().Value;

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.Section);
        services.AddOptions<IsolationOptions>().BindConfiguration(IsolationOptions.Section);
        services.AddSandboxPool();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Host_uids_must_cover_the_running_slots_plus_every_idle_warm_sandbox()
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Resolve(hostUids: 6));
        var accepted = Resolve(hostUids: 7);

        Assert.Contains("Isolation:HostUidCount", refused.Message, StringComparison.Ordinal);
        Assert.Equal((2, 1), (accepted.Python, accepted.Node));
    }

    [Fact]
    public void The_pool_prepares_for_the_APIs_default_memory_limit_when_only_that_is_set()
    {
        using var services = Build(new Dictionary<string, string?> { ["Limits:DefaultMemoryBytes"] = (512L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var unset = Build([]);

        Assert.Equal(512L << 20, services.GetRequiredService<IOptions<PoolOptions>>().Value.MemoryBytes);
        Assert.Equal(256L << 20, unset.GetRequiredService<IOptions<PoolOptions>>().Value.MemoryBytes);
    }

    [Fact]
    public void A_pool_memory_limit_that_contradicts_the_APIs_default_is_refused_at_start()
    {
        using var contradiction = Build(new Dictionary<string, string?>
        {
            ["Limits:DefaultMemoryBytes"] = (512L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sandbox:Pool:MemoryBytes"] = (256L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var agreement = Build(new Dictionary<string, string?>
        {
            ["Limits:DefaultMemoryBytes"] = (512L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sandbox:Pool:MemoryBytes"] = (512L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        var refused = Assert.Throws<OptionsValidationException>(() => contradiction.GetRequiredService<IOptions<PoolOptions>>().Value);

        Assert.Contains("Limits:DefaultMemoryBytes", refused.Message, StringComparison.Ordinal);
        Assert.Equal(512L << 20, agreement.GetRequiredService<IOptions<PoolOptions>>().Value.MemoryBytes);
    }

    [Fact]
    public void A_negative_pool_size_is_refused()
    {
        using var services = Build(new Dictionary<string, string?> { ["Sandbox:Pool:Python"] = "-1" });

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PoolOptions>>().Value);

        Assert.Contains("Python", refused.Message, StringComparison.Ordinal);
    }
}
