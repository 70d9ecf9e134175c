using Codify.Sandbox.Seccomp;
using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Launch;

/// <summary>
/// Builds the seccomp filter once, on first use. A build failure is kept and rethrown to every caller,
/// so each run fails closed with the reason and the probe marks the service Unhealthy.
/// </summary>
public sealed class SeccompProvider(IOptions<IsolationOptions> options, ILogger<SeccompProvider> logger) : IDisposable
{
    private readonly Lazy<(SeccompFilter? Filter, string? Error)> _built = new(() =>
    {
        try
        {
            return (SeccompFilter.Build(Path.GetDirectoryName(options.Value.RunRoot), logger), null);
        }
        catch (Exception e) when (e is SeccompException or IOException or UnauthorizedAccessException)
        {
            return (null, e.Message);
        }
    });

    /// <exception cref="SeccompException">The filter could not be built.</exception>
    public SeccompFilter Filter => _built.Value.Filter ?? throw new SeccompException(_built.Value.Error!);

    public void Dispose()
    {
        if (_built.IsValueCreated)
        {
            _built.Value.Filter?.Dispose();
        }
    }
}
