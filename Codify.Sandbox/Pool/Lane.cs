using Codify.Contracts;

namespace Codify.Sandbox.Pool;

/// <summary>One language's share of the pool: its warm sandboxes ready or starting, in start order, and its start backoff.</summary>
internal sealed class Lane(LanguageInfo language, int size)
{
    private readonly Lock _gate = new();
    private readonly List<WarmStart> _entries = [];
    private int _failures;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;

    public LanguageInfo Language { get; } = language;

    public int Size { get; } = size;

    /// <summary>Whether another start fits: fewer than Size ready or starting, and no failure backoff running.</summary>
    public bool HasRoom(DateTimeOffset now)
    {
        lock (_gate)
        {
            // A failed start holds no sandbox: it makes room at once (the backoff decides when to retry).
            _entries.RemoveAll(IsFailed);
            return _entries.Count < Size && now >= _retryAt;
        }
    }

    public void Add(WarmStart entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
        }
    }

    /// <summary>A ready one if any, else the oldest still starting; null when the lane is empty.</summary>
    public WarmStart? Take()
    {
        lock (_gate)
        {
            _entries.RemoveAll(IsFailed);
            var index = _entries.FindIndex(e => e.Ready.IsCompletedSuccessfully);
            if (index < 0 && _entries.Count > 0)
            {
                index = 0;
            }

            if (index < 0)
            {
                return null;
            }

            var entry = _entries[index];
            _entries.RemoveAt(index);
            return entry;
        }
    }

    /// <summary>The ready warm sandboxes, left in the lane (for checks of what an idle sandbox holds).</summary>
    public IReadOnlyList<WarmSandbox> Ready()
    {
        lock (_gate)
        {
            return _entries.Where(e => e.Ready.IsCompletedSuccessfully && e.Ready.Result is not null).Select(e => e.Ready.Result!).ToList();
        }
    }

    /// <summary>Records a failed start; returns the backoff before the next (1 s, doubling up to <paramref name="max"/>).</summary>
    public TimeSpan Failed(TimeSpan max)
    {
        lock (_gate)
        {
            _failures++;
            var backoff = TimeSpan.FromSeconds(Math.Min(max.TotalSeconds, Math.Pow(2, Math.Min(_failures - 1, 16))));
            _retryAt = DateTimeOffset.UtcNow + backoff;
            return backoff;
        }
    }

    public void Succeeded()
    {
        lock (_gate)
        {
            _failures = 0;
            _retryAt = DateTimeOffset.MinValue;
        }
    }

    private static bool IsFailed(WarmStart entry) => entry.Ready.IsCompleted && (!entry.Ready.IsCompletedSuccessfully || entry.Ready.Result is null);
}
