using Codify.Sandbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Codify.Tests.Sandbox;

/// <summary>MAX_CONCURRENT_EXECUTIONS is the Sandbox's own setting: a bad value is refused at start-up, naming the variable.</summary>
[UnitTier]
public sealed class SlotsSettingTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("257")]
    [InlineData("many")]
    public void A_bad_slot_count_is_refused_naming_the_variable(string value)
    {
        using var services = SandboxServices(value);

        var refused = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IOptions<SandboxOptions>>().Value);

        Assert.Contains("MAX_CONCURRENT_EXECUTIONS", refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_seed_default_is_ten_slots()
    {
        using var services = SandboxServices(null);

        Assert.Equal(10, services.GetRequiredService<IOptions<SandboxOptions>>().Value.MaxConcurrentExecutions);
    }

    /// <summary>The Sandbox's real registrations over <paramref name="slots"/>; nothing is started.</summary>
    private static ServiceProvider SandboxServices(string? slots)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MAX_CONCURRENT_EXECUTIONS"] = slots,
            ["ConnectionStrings:redis"] = "127.0.0.1:1",
        });
        builder.AddApplicationServices();
        return (ServiceProvider)builder.Services.BuildServiceProvider();
    }
}
