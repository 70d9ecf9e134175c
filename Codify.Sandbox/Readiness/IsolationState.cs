namespace Codify.Sandbox.Readiness;

/// <summary>
/// Whether this replica can isolate programs right now. Starts closed: nothing runs until the
/// start-up probe has proven that the whole sandbox works (fail closed).
/// </summary>
public sealed class IsolationState
{
    private volatile Snapshot _current = new(false, "isolation has not been probed yet");

    public bool IsReady => _current.Ready;

    public string Reason => _current.Reason;

    /// <summary>Raised when readiness flips, so the heartbeat advertises (or withdraws) this replica at once.</summary>
    public event Action? ReadinessChanged;

    public void MarkReady(string detail) => Set(new(true, detail));

    public void MarkBroken(string reason) => Set(new(false, reason));

    private void Set(Snapshot next)
    {
        var flipped = _current.Ready != next.Ready;
        _current = next;
        if (flipped)
        {
            ReadinessChanged?.Invoke();
        }
    }

    private sealed record Snapshot(bool Ready, string Reason);
}
