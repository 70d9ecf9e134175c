namespace Codify.Hosting;

/// <summary>
/// A background loop's "there may be work now" flag: pokes from any thread collapse into one wake-up,
/// and the loop still wakes on its own after a timeout (the poll fallback when a poke is lost).
/// </summary>
public sealed class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Poke()
    {
        if (_signal.CurrentCount > 0)
        {
            return; // already poked (checked first: under load most pokes find one pending, and a throw costs far more)
        }

        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already poked: one pending wake-up is enough.
        }
    }

    /// <returns>true when poked, false when the timeout passed first.</returns>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
