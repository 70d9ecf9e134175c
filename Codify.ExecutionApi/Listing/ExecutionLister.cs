using Codify.Contracts;
using Codify.ExecutionApi.Executions;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Listing;

/// <summary>Walks the creation-time index newest first, filtering by status; bounded work per page.</summary>
public sealed class ExecutionLister(IConnectionMultiplexer redis, ExecutionStore store)
{
    /// <summary>Index entries looked at per request at most: a rare status cannot make one page scan everything.</summary>
    public const int MaxScanned = 1000;

    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxIds = 100;

    private const int Chunk = 100;

    public async Task<ExecutionPage> ListAsync(ExecutionStatus? status, string? language, ExecutionCursor? cursor, int limit)
    {
        var index = language is null ? RedisKeys.ExecutionIndex : RedisKeys.ExecutionIndexFor(language);
        var items = new List<ExecutionRecord>();
        var position = cursor;
        var scanned = 0;
        while (scanned < MaxScanned)
        {
            var entries = await NextEntriesAsync(index, position);
            if (entries.Count == 0)
            {
                return new ExecutionPage(items);
            }

            var records = await Task.WhenAll(entries.Select(e => store.GetAsync(e.Id)));
            for (var i = 0; i < entries.Count; i++)
            {
                scanned++;
                position = entries[i];
                if (records[i] is { } record && (status is null || record.Status == status))
                {
                    items.Add(record);
                    if (items.Count == limit)
                    {
                        return new ExecutionPage(items, position.Encode());
                    }
                }
            }
        }

        // Scan budget spent: hand back where we stopped so the client can go on.
        return new ExecutionPage(items, position?.Encode());
    }

    public async Task<ExecutionPage> GetManyAsync(IReadOnlyList<string> ids)
    {
        var records = await Task.WhenAll(ids.Select(store.GetAsync));
        return new ExecutionPage(
            records.OfType<ExecutionRecord>().ToList(),
            NotFound: ids.Where((_, i) => records[i] is null).ToList());
    }

    /// <summary>Entries strictly after <paramref name="after"/> in newest-first order (ties on the same millisecond by id).</summary>
    private async Task<List<ExecutionCursor>> NextEntriesAsync(string index, ExecutionCursor? after)
    {
        var max = after?.CreatedAtMs ?? double.PositiveInfinity;
        var entries = await redis.GetDatabase().SortedSetRangeByScoreWithScoresAsync(
            index, double.NegativeInfinity, max, Exclude.None, Order.Descending, 0, Chunk + 16);
        return entries
            .Select(e => new ExecutionCursor((long)e.Score, e.Element.ToString()))
            .Where(e => after is null || e.CreatedAtMs < after.CreatedAtMs || string.CompareOrdinal(e.Id, after.Id) < 0)
            .Take(Chunk)
            .ToList();
    }
}
