using System.Diagnostics.Metrics;

namespace Codify.Sandbox.Telemetry;

/// <summary>
/// Totals of <c>codify.sandbox.runs</c> by path (fork, warm, cold) since start, read from the metric itself (a listener on this
/// service's own meters): the health report shows them, so a benchmark or an operator can tell python runs really fork.
/// </summary>
public sealed class RunPathTally : IHostedService, IDisposable
{
    public const string InstrumentName = "codify.sandbox.runs";

    private readonly MeterListener _listener = new();
    private long _fork;
    private long _warm;
    private long _cold;

    public RunPathTally(IMeterFactory meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only this service's own instruments: another factory's (a test's) never counts here.
            if (instrument.Name == InstrumentName && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "path")
                {
                    Interlocked.Add(ref tag.Value as string == "fork" ? ref _fork : ref tag.Value as string == "warm" ? ref _warm : ref _cold, value);
                }
            }
        });
        _listener.Start();
    }

    public (long Fork, long Warm, long Cold) Totals => (Interlocked.Read(ref _fork), Interlocked.Read(ref _warm), Interlocked.Read(ref _cold));

    /// <summary>"runs fork N, warm N, cold N": the health report's wording (the benchmark reads it).</summary>
    public string Describe()
    {
        var (fork, warm, cold) = Totals;
        return $"runs fork {fork}, warm {warm}, cold {cold}";
    }

    /// <summary>Created with the host (a hosted service): it counts from the first run on, not from the first health check.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();
}
