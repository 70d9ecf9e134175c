using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Codify.Sandbox.Jobs;

/// <summary>Stream entries this replica holds right now, kept fresh by the heartbeat so no other replica reclaims them.</summary>
public sealed class InFlightJobs
{
    private readonly ConcurrentDictionary<string, byte> _entries = new();

    public int Count => _entries.Count;

    public void Add(RedisValue entryId) => _entries.TryAdd(entryId.ToString(), 0);

    public void Remove(RedisValue entryId) => _entries.TryRemove(entryId.ToString(), out _);

    public RedisValue[] Snapshot() => _entries.Keys.Select(k => (RedisValue)k).ToArray();
}
