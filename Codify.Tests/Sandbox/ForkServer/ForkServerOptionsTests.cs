using Codify.Sandbox;
using Codify.Sandbox.ForkServer;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Pool;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Codify.Tests.Sandbox.ForkServer;

/// <summary>The fork server's uid range is its own and covers its budget; Cold mode keeps no warm sandbox.</summary>
[UnitTier]
public sealed class ForkServerOptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.Section);
        services.AddOptions<IsolationOptions>().BindConfiguration(IsolationOptions.Section);
        services.AddSandboxPool();
        services.AddForkServer();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void A_fork_server_range_overlapping_the_pool_s_uids_is_refused()
    {
        using var services = Build(new() { ["Sandbox:ForkServer:HostUidBase"] = "1900500" });

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ForkServerOptions>>().Value);

        Assert.Contains("overlap", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_range_must_cover_the_server_the_running_runs_and_two_servers_worth_of_preforked_children()
    {
        // Two servers (the preloaded and the lean one) of two preforked children each, and a replacement of each: 8 + 4 runs.
        var settings = new Dictionary<string, string?> { ["Sandbox:MaxConcurrentExecutions"] = "4", ["Sandbox:ForkServer:Prefork"] = "2" };
        using var tight = Build(new(settings) { ["Sandbox:ForkServer:HostUidCount"] = "12" });
        using var enough = Build(new(settings) { ["Sandbox:ForkServer:HostUidCount"] = "13" });
        using var oneServer = Build(new(settings) { ["Sandbox:ForkServer:HostUidCount"] = "9", ["Sandbox:ForkServer:Lean"] = "false" });

        var refused = Assert.Throws<OptionsValidationException>(() => tight.GetRequiredService<IOptions<ForkServerOptions>>().Value);

        Assert.Contains("Sandbox:ForkServer:HostUidCount", refused.Message, StringComparison.Ordinal);
        Assert.Equal((1_800_001, 12), enough.GetRequiredService<IOptions<ForkServerOptions>>().Value.RunUids);
        Assert.Equal((1_800_001, 8), oneServer.GetRequiredService<IOptions<ForkServerOptions>>().Value.RunUids);
    }

    [Fact]
    public void Preloads_are_module_names_only()
    {
        using var services = Build(new() { ["Sandbox:ForkServer:Preload"] = "numpy;import os" });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ForkServerOptions>>().Value);
    }

    [Fact]
    public void Cold_mode_keeps_no_warm_sandbox_and_the_default_mode_forks()
    {
        using var cold = Build(new() { ["Sandbox:Mode"] = "Cold" });
        using var defaults = Build([]);

        Assert.Equal((0, 0), (cold.GetRequiredService<IOptions<PoolOptions>>().Value.Python, cold.GetRequiredService<IOptions<PoolOptions>>().Value.Node));
        Assert.Equal(SandboxMode.ForkServer, defaults.GetRequiredService<IOptions<SandboxOptions>>().Value.Mode);
    }

    [Fact]
    public void Fork_server_mode_keeps_no_warm_python_unless_asked_and_keeps_node_s_pool()
    {
        using var defaults = Build([]);
        using var asked = Build(new() { ["Sandbox:Pool:Python"] = "3" });
        using var pooled = Build(new() { ["Sandbox:Mode"] = "Pool" });

        Assert.Equal((0, 2), (defaults.GetRequiredService<IOptions<PoolOptions>>().Value.Python, defaults.GetRequiredService<IOptions<PoolOptions>>().Value.Node));
        Assert.Equal(3, asked.GetRequiredService<IOptions<PoolOptions>>().Value.Python);
        Assert.Equal(2, pooled.GetRequiredService<IOptions<PoolOptions>>().Value.Python);
    }
}
