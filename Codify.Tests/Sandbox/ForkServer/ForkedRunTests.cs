using Codify.Contracts;

namespace Codify.Tests.Sandbox.ForkServer;

/// <summary>What is new to forking: runs really are forks, each with its own uid, random state and nothing of the server.</summary>
[SandboxTier]
public sealed class ForkedRunTests(ForkedSandboxRunnerFixture sandbox) : IClassFixture<ForkedSandboxRunnerFixture>
{
    [Fact]
    public async Task A_python_hello_is_served_by_a_fork()
    {
        var before = sandbox.ForkRuns;

        var result = await sandbox.RunAsync("python", "print('Hello, World!')");

        Assert.Equal(ExecutionStatus.Completed, result.Status);
        Assert.Equal("Hello, World!\n", result.Stdout);
        Assert.Equal(before + 1, sandbox.ForkRuns);
    }
}
