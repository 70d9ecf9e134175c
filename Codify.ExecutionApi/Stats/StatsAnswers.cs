namespace Codify.ExecutionApi.Stats;

/// <summary><c>GET /api/stats</c>: one entry per window ("5m", "1h", "24h"), each counted from Redis buckets.</summary>
public sealed record ExecutionStats(DateTimeOffset GeneratedAt, IReadOnlyDictionary<string, StatsWindow> Windows);

/// <summary>
/// Executions that ended within a window: totals by status, by language and both; percentiles of the run's wall time and
/// of the queue wait (created → started). <see cref="From"/> is the start of the oldest bucket counted.
/// </summary>
public sealed record StatsWindow(
    DateTimeOffset From,
    DateTimeOffset To,
    string Bucket,
    long Total,
    IReadOnlyDictionary<string, long> ByStatus,
    IReadOnlyDictionary<string, long> ByLanguage,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> ByLanguageAndStatus,
    DurationStats RunDurationMs,
    DurationStats QueueWaitMs);

/// <summary>
/// Durations in ms: how many, the nearest-rank p50 and p95 (within ~4.5 %, see <c>DurationHistogram</c>), mean, min and
/// max (exact). Null when the window counted none.
/// </summary>
public sealed record DurationStats(long Count, long? P50, long? P95, long? Mean, long? Min, long? Max);
