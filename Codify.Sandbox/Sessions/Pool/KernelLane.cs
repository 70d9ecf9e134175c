using Codify.Contracts;

namespace Codify.Sandbox.Sessions.Pool;

/// <summary>One language's share of the kernel pool: its ready kernels, how many are starting, and its start backoff.</summary>
internal sealed class KernelLane(LanguageInfo language, int size)
{
    private readonly Lock _gate = new();
    private readonly List<SessionKernel> _ready = [];
    private int _starting;
    private int _failures;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;

    public LanguageInfo Language { get; } = language;

    public int Size { get; } = size;

    public int ReadyCount
    {
        get
        {
            lock (_gate)
            {
                return _ready.Count;
            }
        }
    }

    /// <summary>Counts a start in when one fits (fewer than Size ready or starting, no failure backoff running).</summary>
    public bool TryBeginStart(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_ready.Count + _starting >= Size || now < _retryAt)
            {
                return false;
            }

            _starting++;
            return true;
        }
    }

    /// <summary>A start ended: its kernel joins the ready ones; a failed one (null) sets the backoff (1 s, doubling up to <paramref name="maxBackoff"/>).</summary>
    public TimeSpan? EndStart(SessionKernel? kernel, TimeSpan maxBackoff)
    {
        lock (_gate)
        {
            _starting--;
            if (kernel is not null)
            {
                _ready.Add(kernel);
                (_failures, _retryAt) = (0, DateTimeOffset.MinValue);
                return null;
            }

            _failures++;
            var backoff = TimeSpan.FromSeconds(Math.Min(maxBackoff.TotalSeconds, Math.Pow(2, Math.Min(_failures - 1, 16))));
            _retryAt = DateTimeOffset.UtcNow + backoff;
            return backoff;
        }
    }

    /// <summary>Removes and returns the first ready kernel that <paramref name="fits"/>; null: none.</summary>
    public SessionKernel? Take(Func<SessionKernel, bool> fits)
    {
        lock (_gate)
        {
            var index = _ready.FindIndex(k => fits(k));
            if (index < 0)
            {
                return null;
            }

            var kernel = _ready[index];
            _ready.RemoveAt(index);
            return kernel;
        }
    }

    /// <summary>Removes and returns the kernels that died while idle.</summary>
    public IReadOnlyList<SessionKernel> TakeDead()
    {
        lock (_gate)
        {
            var dead = _ready.Where(k => !k.IsAlive).ToList();
            _ready.RemoveAll(dead.Contains);
            return dead;
        }
    }

    /// <summary>Removes and returns every ready kernel (the pool is stopping).</summary>
    public IReadOnlyList<SessionKernel> TakeAll()
    {
        lock (_gate)
        {
            var all = _ready.ToList();
            _ready.Clear();
            return all;
        }
    }

    /// <summary>The ready kernels, left in the lane (for checks of what an idle kernel holds).</summary>
    public IReadOnlyList<SessionKernel> Ready()
    {
        lock (_gate)
        {
            return [.. _ready];
        }
    }
}
