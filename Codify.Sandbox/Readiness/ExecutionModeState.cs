namespace Codify.Sandbox.Readiness;

/// <summary>
/// Which execution mode serves python runs right now, and why not the configured one: a fork server that cannot isolate
/// (uid range refused, unshare refused, preloads failing) leaves runs to the warm pool and cold starts, and says so here.
/// </summary>
public sealed class ExecutionModeState
{
    private volatile string _configured = "Pool";
    private volatile string? _fallback;

    public string Configured => _configured;

    /// <summary>Why the configured mode is not serving (null: it is).</summary>
    public string? Fallback => _fallback;

    public void Configure(string mode) => _configured = mode;

    public void FellBack(string reason) => _fallback = reason;

    public void Recovered() => _fallback = null;

    public string Describe() => _fallback is { } why
        ? $"mode {_configured} unavailable, python runs use the warm pool or start cold: {why}"
        : $"mode {_configured}";
}
