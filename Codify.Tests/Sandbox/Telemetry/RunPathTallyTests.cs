using System.Diagnostics.Metrics;
using Codify.Hosting;
using Codify.Sandbox.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Codify.Tests.Sandbox.Telemetry;

/// <summary>The health report's run totals come from the real metric, and only from this service's own meters.</summary>
[UnitTier]
public sealed class RunPathTallyTests
{
    [Fact]
    public void Totals_count_the_runs_metric_by_path_and_ignore_other_meter_factories()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var others = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var tally = new RunPathTally(meters);
        var runs = meters.Create(CodifyTelemetry.MeterName).CreateCounter<long>(RunPathTally.InstrumentName);
        var foreign = others.GetRequiredService<IMeterFactory>().Create(CodifyTelemetry.MeterName).CreateCounter<long>(RunPathTally.InstrumentName);

        runs.Add(1, new KeyValuePair<string, object?>("path", "fork"), new KeyValuePair<string, object?>("language", "python"));
        runs.Add(1, new KeyValuePair<string, object?>("path", "fork"));
        runs.Add(1, new KeyValuePair<string, object?>("path", "warm"));
        runs.Add(1, new KeyValuePair<string, object?>("path", "cold"), new KeyValuePair<string, object?>("reason", "pool empty"));
        foreign.Add(5, new KeyValuePair<string, object?>("path", "fork"));

        Assert.Equal((2, 1, 1), tally.Totals);
        Assert.Equal("runs fork 2, warm 1, cold 1", tally.Describe());
    }
}
