using Codify.Contracts;
using Codify.Tests.Sandbox.Pool;

namespace Codify.Tests.Sandbox.ForkServer;

/// <summary>
/// A program cannot tell a forked run from a cold one: the warm pool's python programs (globals, __main__, sys.argv,
/// sys.orig_argv, stdin, rlimits, tracebacks, syntax errors, exit codes and messages, atexit, the pids limit) give the same
/// stdout, stderr, exit code and status when forked as when started cold.
/// </summary>
[SandboxTier]
public sealed class ForkedLikeColdTests(SandboxRunnerFixture cold, ForkedSandboxRunnerFixture forked)
    : IClassFixture<SandboxRunnerFixture>, IClassFixture<ForkedSandboxRunnerFixture>
{
    public static TheoryData<string> PythonPrograms => [.. WarmLikeColdTests.Programs.Where(p => (string)p[0] == "python").Select(p => (string)p[1])];

    [Theory]
    [MemberData(nameof(PythonPrograms))]
    public async Task A_program_sees_the_same_when_forked_as_when_cold(string code)
    {
        var spec = new ExecutionSpec("python", code, "line one\nline two\n", SandboxRunnerFixture.Limits() with { FileSizeBytes = 5000, CpuTimeMs = 3000, Processes = 40 },
            Args: ["plain", "with space", "", "ünïcödé", "--flag=1"]);
        var forkedBefore = forked.ForkRuns;

        var coldResult = await cold.Runner.RunAsync("like-cold", spec, CancellationToken.None);
        var forkedResult = await forked.Runner.RunAsync("like-cold", spec, CancellationToken.None);

        Assert.Equal(forkedBefore + 1, forked.ForkRuns);
        Assert.NotEqual(ExecutionStatus.InternalError, coldResult.Status);
        Assert.Equal((coldResult.Status, coldResult.ExitCode, coldResult.Signal), (forkedResult.Status, forkedResult.ExitCode, forkedResult.Signal));
        Assert.Equal(coldResult.Stdout, forkedResult.Stdout);
        Assert.Equal(coldResult.Stderr, forkedResult.Stderr);
    }
}
