using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Codify.Sandbox.Jobs;

/// <summary>Stream entries this replica holds right now, kept fresh by the heartbeat so no other replica reclaims them.</summary>
public sealed class InFlightJobs
{
    private readonly ConcurrentDictionary<string, byte> _entries = new();

    /// <summary>Raised when a job is taken or let go, so the replica's published slot counts can follow at once.</summary>
    public event Action? Changed;

    public int Count => _entries.Count;

    public void Add(RedisValue entryId)
    {
        if (_entries.TryAdd(entryId.ToString(), 0))
        {
            Changed?.Invoke();
        }
    }

    public void Remove(RedisValue entryId)
    {
        if (_entries.TryRemove(entryId.ToString(), out _))
        {
            Changed?.Invoke();
        }
    }

    public RedisValue[] Snapshot() => _entries.Keys.Select(k => (RedisValue)k).ToArray();
}
