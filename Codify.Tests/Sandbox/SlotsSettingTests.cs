using Codify.Tests.Infrastructure;

namespace Codify.Tests.Sandbox;

/// <summary>MAX_CONCURRENT_EXECUTIONS is the Sandbox's own setting: a bad value stops it at start-up, naming the variable.</summary>
[ApiTier]
public sealed class SlotsSettingTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("257")]
    [InlineData("many")]
    public async Task A_bad_slot_count_stops_start_up_naming_the_variable(string value)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var sandbox = new SandboxFactory(redis.ConnectionString, new Dictionary<string, string?> { ["MAX_CONCURRENT_EXECUTIONS"] = value });

        var refused = Assert.ThrowsAny<Exception>(() => sandbox.Server);

        Assert.Contains("MAX_CONCURRENT_EXECUTIONS", refused.ToString(), StringComparison.Ordinal);
    }
}
