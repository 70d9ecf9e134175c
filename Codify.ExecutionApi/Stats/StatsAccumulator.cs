using System.Globalization;
using Codify.Contracts;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Stats;

/// <summary>Adds up statistics hashes (see <see cref="ExecutionStatsScript"/>) into one window.</summary>
public sealed class StatsAccumulator
{
    private readonly Dictionary<(string Language, string Status), long> _counts = [];
    private readonly DurationAccumulator _run = new();
    private readonly DurationAccumulator _wait = new();

    public void Add(HashEntry[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var field in fields)
        {
            var name = field.Name.ToString();
            if (!long.TryParse(field.Value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            if (name.StartsWith(ExecutionStatsScript.CountPrefix, StringComparison.Ordinal)
                && name[ExecutionStatsScript.CountPrefix.Length..].Split(':') is [var status, var language])
            {
                _counts[(language, status)] = _counts.GetValueOrDefault((language, status)) + value;
            }
            else if (name.Split(':') is [var series, var part])
            {
                (series == ExecutionStatsScript.Run ? _run : series == ExecutionStatsScript.Wait ? _wait : null)?.Add(part, value);
            }
        }
    }

    public StatsWindow ToWindow(DateTimeOffset from, DateTimeOffset to, string bucket) => new(
        from, to, bucket,
        _counts.Values.Sum(),
        Sum(c => c.Status),
        Sum(c => c.Language),
        _counts.GroupBy(c => c.Key.Language, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => (IReadOnlyDictionary<string, long>)g.ToDictionary(c => c.Key.Status, c => c.Value, StringComparer.Ordinal),
            StringComparer.Ordinal),
        _run.ToStats(),
        _wait.ToStats());

    private Dictionary<string, long> Sum(Func<(string Language, string Status), string> by) =>
        _counts.GroupBy(c => by(c.Key), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(c => c.Value), StringComparer.Ordinal);

    private sealed class DurationAccumulator
    {
        private readonly Dictionary<int, long> _buckets = [];
        private long _sum;
        private long _min = long.MaxValue;
        private long _max = long.MinValue;

        public void Add(string part, long value)
        {
            switch (part)
            {
                case "sum":
                    _sum += value;
                    break;
                case "min":
                    _min = Math.Min(_min, value);
                    break;
                case "max":
                    _max = Math.Max(_max, value);
                    break;
                default:
                    if (int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bucket))
                    {
                        _buckets[bucket] = _buckets.GetValueOrDefault(bucket) + value;
                    }

                    break;
            }
        }

        public DurationStats ToStats()
        {
            var count = _buckets.Values.Sum();
            if (count == 0 || _min > _max)
            {
                return new DurationStats(count, null, null, null, null, null);
            }

            return new DurationStats(count,
                DurationHistogram.Percentile(_buckets, 0.50, _min, _max),
                DurationHistogram.Percentile(_buckets, 0.95, _min, _max),
                (long)Math.Round((double)_sum / count), _min, _max);
        }
    }
}
