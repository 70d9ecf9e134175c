namespace Codify.Sandbox.Isolation;

/// <summary>
/// Whether this replica can isolate programs right now. Starts closed: nothing runs until the
/// start-up probe has proven that the whole sandbox works (fail closed).
/// </summary>
public sealed class IsolationState
{
    private volatile Snapshot _current = new(false, "isolation has not been probed yet");

    public bool IsReady => _current.Ready;

    public string Reason => _current.Reason;

    public void MarkReady(string detail) => _current = new(true, detail);

    public void MarkBroken(string reason) => _current = new(false, reason);

    private sealed record Snapshot(bool Ready, string Reason);
}
