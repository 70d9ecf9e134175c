using Codify.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Codify.Tests.Telemetry;

[UnitTier]
public sealed class TelemetryOptionsTests
{
    [Theory]
    [InlineData("SampleRatio", "1.5")]
    [InlineData("SampleRatio", "-0.1")]
    [InlineData("SlowRunMs", "0")]
    [InlineData("MetricExportIntervalMs", "10")]
    public async Task An_out_of_range_setting_stops_the_service_at_start(string key, string value)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"{TelemetryOptions.Section}:{key}"] = value });
        builder.ConfigureOpenTelemetry();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bound_values_are_what_the_pipeline_is_built_with()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Telemetry:SampleRatio"] = "0.5",
            ["Telemetry:SlowRunMs"] = "250",
            ["Telemetry:RedisCommandSpans"] = "true",
        });
        builder.ConfigureOpenTelemetry();
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        Assert.Equal((0.5, 250, true), (options.SampleRatio, options.SlowRunMs, options.RedisCommandSpans));
        Assert.Equal(options.SampleRatio, TelemetryOptions.From(builder.Configuration).SampleRatio);
    }
}
