using System.Diagnostics;
using System.Diagnostics.Metrics;
using Codify.Contracts;
using Codify.Hosting;

namespace Codify.Sandbox.Telemetry;

/// <summary>
/// The Sandbox's instruments on the Codify meter, counted and measured by the replica that ends an execution. The
/// gauges of this replica's own slots are the job loop's (Jobs/JobGauges).
/// </summary>
public sealed class SandboxMetrics
{
    public const string LanguageTag = "language";
    public const string StatusTag = "status";

    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    private static readonly long[] ByteBuckets =
        [.. Enumerable.Range(0, 13).Select(i => (1L << 20) << i)]; // 1 MiB … 4 GiB, doubling

    private readonly Counter<long> _executions;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<long> _memoryPeak;

    public SandboxMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(CodifyTelemetry.MeterName);
        _executions = meter.CreateCounter<long>("codify.executions", unit: "{execution}",
            description: "Executions ended, by language and status");
        _duration = meter.CreateHistogram("codify.execution.duration", unit: "s",
            description: "Wall-clock time of the program's run, by language and status",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _queueWait = meter.CreateHistogram("codify.execution.queue_wait", unit: "s",
            description: "Time from creation to the start of the run (startedAt - createdAt), by language",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _memoryPeak = meter.CreateHistogram("codify.execution.memory_peak", unit: "By",
            description: "Peak memory of the run's cgroup, by language and status",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = ByteBuckets });
    }

    public void QueueWaited(string language, TimeSpan wait) =>
        _queueWait.Record(wait.TotalSeconds, new KeyValuePair<string, object?>(LanguageTag, language));

    /// <summary>An execution this replica ended; <paramref name="ran"/> when the program's run produced the result.</summary>
    public void Ended(string language, ExecutionResult result, bool ran)
    {
        var tags = new TagList { { LanguageTag, language }, { StatusTag, result.Status.ToWire() } };
        _executions.Add(1, tags);
        if (!ran)
        {
            return;
        }

        _duration.Record(result.WallTimeMs / 1000.0, tags);
        if (result.MemoryPeakBytes is { } peak)
        {
            _memoryPeak.Record(peak, tags);
        }
    }
}
