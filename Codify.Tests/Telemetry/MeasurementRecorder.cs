using System.Diagnostics.Metrics;
using Codify.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Codify.Tests.Telemetry;

/// <summary>
/// Listens to the Codify meter of ONE host (its own IMeterFactory): other hosts in this test process, which meter
/// the same names, are not heard.
/// </summary>
public sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();

    public MeasurementRecorder(IServiceProvider host)
    {
        var factory = host.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == CodifyTelemetry.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Add(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Add(i, value, tags));
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Add(i, value, tags));
        _listener.Start();
    }

    public LockedCollection<Measured> Measurements { get; } = new();

    /// <summary>Asks every observable gauge for its value now.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    public Measured[] Of(string instrument) => [.. Measurements.Snapshot().Where(m => m.Instrument == instrument)];

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copied = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copied[tag.Key] = tag.Value;
        }

        Measurements.Add(new Measured(instrument.Name, value, copied));
    }

    public sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
    {
        public object? Tag(string key) => Tags.GetValueOrDefault(key);
    }
}
