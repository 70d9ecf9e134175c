namespace Codify.ExecutionApi.Sockets;

/// <summary>The open WebSockets of this API replica, counted per client (the per-client limit is per replica).</summary>
public sealed class SocketRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _perClient = new(StringComparer.Ordinal);
    private int _count;
    private long _overflows;

    /// <summary>Open WebSockets on this replica.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Connections this replica dropped because the client read too slowly (<c>overflow</c>).</summary>
    public long Overflows => Interlocked.Read(ref _overflows);

    public void RecordOverflow() => Interlocked.Increment(ref _overflows);

    /// <summary>A lease on one connection of <paramref name="client"/>, or null when it already holds <paramref name="max"/>.</summary>
    public IDisposable? TryEnter(string client, int max)
    {
        lock (_gate)
        {
            var held = _perClient.GetValueOrDefault(client);
            if (held >= max)
            {
                return null;
            }

            _perClient[client] = held + 1;
            _count++;
        }

        return new Lease(this, client);
    }

    private void Leave(string client)
    {
        lock (_gate)
        {
            if (_perClient[client] == 1)
            {
                _perClient.Remove(client);
            }
            else
            {
                _perClient[client]--;
            }

            _count--;
        }
    }

    private sealed class Lease(SocketRegistry registry, string client) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                registry.Leave(client);
            }
        }
    }
}
