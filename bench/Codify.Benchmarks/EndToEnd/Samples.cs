namespace Codify.Benchmarks.EndToEnd;

/// <summary>Latency samples in milliseconds and their percentiles (nearest rank).</summary>
public sealed class Samples
{
    private readonly List<double> _values = [];

    public int Count => _values.Count;

    public void Add(double value)
    {
        lock (_values)
        {
            _values.Add(value);
        }
    }

    public double Percentile(double p)
    {
        lock (_values)
        {
            if (_values.Count == 0)
            {
                return double.NaN;
            }

            var sorted = _values.Order().ToList();
            var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
        }
    }

    public double P50 => Percentile(50);

    public double P95 => Percentile(95);

    public double P99 => Percentile(99);
}
