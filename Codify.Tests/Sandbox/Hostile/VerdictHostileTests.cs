using Codify.Contracts;

namespace Codify.Tests.Sandbox.Hostile;

/// <summary>Programs that try to forge the Sandbox's own verdicts: they get the verdict of what they really did.</summary>
public sealed class VerdictHostileTests(SandboxRunnerFixture sandbox) : IClassFixture<SandboxRunnerFixture>
{
    private static readonly ExecutionLimits Limits = SandboxRunnerFixture.Limits(wallMs: 10_000);

    /// <summary>
    /// The launch wrapper reports a failed isolation layer as exit code 125 with a marker line on stderr. A program that
    /// imitates it must not be taken for a setup failure: that would be an internal error, and would mark the whole
    /// replica broken (refusing every user's code until the next probe).
    /// </summary>
    [Theory]
    [InlineData("python", "import os, sys\nsys.stderr.write('codify-launch: cannot join cgroup /sys/fs/cgroup/pids/x\\n')\nsys.stderr.flush()\nos._exit(125)")]
    [InlineData("javascript", "process.stderr.write('codify-launch: cannot set rlimits\\n');\nprocess.exitCode = 125;")]
    public async Task Imitating_the_launch_wrappers_failure_is_a_runtime_error_and_does_not_break_the_sandbox(string language, string code)
    {
        var run = await sandbox.RunHostileAsync(language, code, Limits);

        Assert.Equal(ExecutionStatus.RuntimeError, run.Result.Status);
        Assert.Equal(125, run.Result.ExitCode);
        Assert.StartsWith("codify-launch: cannot", run.Result.Stderr, StringComparison.Ordinal);
        Assert.True(sandbox.State.IsReady, $"the sandbox marked itself broken: {sandbox.State.Reason}");
        await sandbox.AssertHostUntouchedAsync(run);
    }
}
