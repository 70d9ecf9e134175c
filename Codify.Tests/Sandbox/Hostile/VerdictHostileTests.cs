using Codify.Contracts;
using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;

namespace Codify.Tests.Sandbox.Hostile;

/// <summary>Programs that try to forge the Sandbox's own verdicts: they get the verdict of what they really did.</summary>
[SandboxTier]
public class VerdictHostileTests(SandboxRunnerFixture sandbox) : IClassFixture<SandboxRunnerFixture>
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
    public virtual async Task Imitating_the_launch_wrappers_failure_is_a_runtime_error_and_does_not_break_the_sandbox(string language, string code)
    {
        var run = await sandbox.RunHostileAsync(language, code, Limits);

        Assert.Equal(ExecutionStatus.RuntimeError, run.Result.Status);
        Assert.Equal(125, run.Result.ExitCode);
        Assert.StartsWith("codify-launch: cannot", run.Result.Stderr, StringComparison.Ordinal);
        Assert.True(sandbox.State.IsReady, $"the sandbox marked itself broken: {sandbox.State.Reason}");
        await sandbox.AssertHostUntouchedAsync(run);
    }

    /// <summary>The counterpart: a layer that really fails in the wrapper is still an internal error, with a readable reason.</summary>
    [Fact]
    public async Task A_real_launch_wrapper_failure_is_still_an_internal_error()
    {
        var options = new IsolationOptions { RunRoot = Path.Combine(Path.GetTempPath(), $"codify-test-runs-{Guid.NewGuid():N}") };
        try
        {
            using var broken = new RealSandbox(options, cgroups: new UnjoinableCgroups(sandbox.Sandbox.Cgroups));
            broken.State.MarkReady("forced ready for this test");

            var result = await broken.Runner.RunAsync("launch-failure", new ExecutionSpec("python", "print(1)", null, Limits), CancellationToken.None);

            Assert.Equal(ExecutionStatus.InternalError, result.Status);
            Assert.StartsWith("sandbox setup failed: ", result.Message, StringComparison.Ordinal);
            Assert.EndsWith($"codify-launch: cannot join cgroup {UnjoinableCgroups.ProcsFile}", result.Message, StringComparison.Ordinal);
            Assert.Equal("", result.Stderr);
            Assert.False(broken.State.IsReady);
        }
        finally
        {
            await SandboxRunnerFixture.DeleteRunRootAsync(options.RunRoot);
        }
    }

    /// <summary>Real cgroups, but a cgroup.procs file the wrapper cannot write: joining fails inside the launch wrapper.</summary>
    private sealed class UnjoinableCgroups(ICgroupDriver real) : ICgroupDriver
    {
        public const string ProcsFile = "/nonexistent-codify-cgroup/cgroup.procs";

        public string Version => real.Version;

        public ICgroupRun Create(string runName, ExecutionLimits limits) => new Run(real.Create(runName, limits));

        private sealed class Run(ICgroupRun inner) : ICgroupRun
        {
            public IReadOnlyList<string> ProcsFiles { get; } = [ProcsFile];

            public CgroupUsage ReadUsage() => inner.ReadUsage();

            public void KillAll() => inner.KillAll();

            public void Dispose() => inner.Dispose();
        }
    }
}
