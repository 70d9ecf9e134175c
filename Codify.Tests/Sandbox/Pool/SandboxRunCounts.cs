using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Codify.Tests.Sandbox.Pool;

/// <summary>
/// Runs by path (warm or cold) as the pooled runner reports them on its real metric, <c>codify.sandbox.runs</c>: a
/// listener on one meter factory of its own, so fixtures running side by side never count each other's runs.
/// </summary>
internal sealed class SandboxRunCounts : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private long _warm;
    private long _cold;
    private long _fork;

    public SandboxRunCounts()
    {
        Meters = _services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "codify.sandbox.runs" && ReferenceEquals(instrument.Meter.Scope, Meters))
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
                    var path = tag.Value as string;
                    Interlocked.Add(ref path == "warm" ? ref _warm : ref path == "fork" ? ref _fork : ref _cold, value);
                }
            }
        });
        _listener.Start();
    }

    /// <summary>The factory to give the pooled runner.</summary>
    public IMeterFactory Meters { get; }

    public long Warm => Interlocked.Read(ref _warm);

    public long Cold => Interlocked.Read(ref _cold);

    public long Fork => Interlocked.Read(ref _fork);

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }
}
