using Codify.Sandbox.ForkServer;
using Codify.Sandbox.Launch;
using Microsoft.Extensions.Logging.Abstractions;

namespace Codify.Tests.Sandbox.ForkServer;

/// <summary>A real fork server starts: bootstrap, uid range map, bwrap, preloads, hello on the control socket.</summary>
[SandboxTier]
public sealed class ForkServerStartTests
{
    [Fact]
    public async Task A_fork_server_starts_and_says_hello()
    {
        var options = new IsolationOptions { RunRoot = Path.Combine(Path.GetTempPath(), $"codify-test-runs-{Guid.NewGuid():N}") };
        using var sandbox = new RealSandbox(options);
        var start = new ForkServerStart(options, new ForkServerOptions { Preload = "numpy" }, sandbox.Cgroups, sandbox.Launcher,
            sandbox.Seccomp.Filter.BpfPath, 4, NullLogger.Instance);

        var (server, failure) = await ForkServerProcess.StartAsync(start);
        using var _ = server;

        Assert.True(server is not null, failure);
        Assert.Null(server.Death);
        await SandboxRunnerFixture.DeleteRunRootAsync(options.RunRoot);
    }
}
