using Codify.Contracts;
using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Runtimes;
using Codify.Sandbox.Seccomp;
using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Registration;

/// <summary>What does not change while this replica runs: how it isolates (cgroup driver, seccomp, bubblewrap) and its runtimes.</summary>
public sealed class ReplicaFacts(
    CgroupDetection cgroups,
    SeccompProvider seccomp,
    LocalRuntimes runtimes,
    IOptions<IsolationOptions> options)
{
    private Task<string?>? _bubblewrap;

    public async Task<SandboxIsolationInfo> IsolationAsync(CancellationToken cancellationToken) =>
        new(cgroups.Driver.Version, cgroups.Reason, SeccompState(), await BubblewrapVersionAsync(cancellationToken));

    public IReadOnlyDictionary<string, string> Runtimes() =>
        runtimes.Found.ToDictionary(r => r.Language, r => r.Version, StringComparer.Ordinal);

    private string SeccompState()
    {
        try
        {
            _ = seccomp.Filter; // built once, on first use; a failure is kept and rethrown
            return "enabled";
        }
        catch (SeccompException e)
        {
            return $"unavailable: {e.Message}";
        }
    }

    /// <summary>Read once (<c>bwrap --version</c>); null when it is missing or does not answer.</summary>
    private async Task<string?> BubblewrapVersionAsync(CancellationToken cancellationToken)
    {
        _bubblewrap ??= ReadBubblewrapAsync(cancellationToken);
        return await _bubblewrap;
    }

    private async Task<string?> ReadBubblewrapAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await InterpreterVersion.ReadAsync(options.Value.BubblewrapPath, cancellationToken);
        }
        catch (Exception e) when (e is IOException or TimeoutException or System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return null;
        }
    }
}
