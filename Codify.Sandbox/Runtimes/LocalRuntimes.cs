using Codify.Contracts;

namespace Codify.Sandbox.Runtimes;

/// <summary>The runtimes this replica found at start-up (empty until <see cref="RuntimePublisher"/> has read them).</summary>
public sealed class LocalRuntimes
{
    private volatile IReadOnlyList<RuntimeInfo> _found = [];

    public IReadOnlyList<RuntimeInfo> Found => _found;

    public void Set(IReadOnlyList<RuntimeInfo> runtimes) => _found = runtimes;
}
