using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Sandbox.Hostile;

/// <summary>Programs that burn CPU or just wait stop at the right clock, and the verdict names which one.</summary>
[SandboxTier]
public class CpuAndTimeHostileTests(SandboxRunnerFixture sandbox) : IClassFixture<SandboxRunnerFixture>
{
    // A generous wall limit costs nothing (the CPU limit ends the run) and keeps the verdict right on a loaded machine,
    // where one CPU second can take several wall seconds.
    private static readonly ExecutionLimits OneCpuSecond = SandboxRunnerFixture.Limits(wallMs: 30_000) with { CpuTimeMs = 1000 };

    private static readonly ExecutionLimits OneWallSecond = SandboxRunnerFixture.Limits(wallMs: 1000);

    [Theory]
    [InlineData("python", "while True:\n    pass")]
    [InlineData("javascript", "for (;;) {}")]
    public async Task A_busy_loop_is_stopped_by_the_cpu_limit_before_the_wall_limit(string language, string code)
    {
        var run = await sandbox.RunHostileAsync(language, code, OneCpuSecond);

        Assert.Equal(ExecutionStatus.TimeLimitExceeded, run.Result.Status);
        Assert.Equal("cpu", run.Result.LimitExceeded);
        Assert.InRange(run.Result.CpuTimeMs ?? 0, 950, 3000);
        Assert.InRange(run.Result.WallTimeMs, 0, OneCpuSecond.WallTimeMs - 1);
        await sandbox.AssertHostUntouchedAsync(run);
    }

    [Fact]
    public async Task Busy_loops_in_several_processes_add_up_to_the_cpu_limit_within_one_core()
    {
        const string code = """
            import multiprocessing, os

            def spin():
                while True:
                    pass

            if __name__ == '__main__':
                for _ in range(2):
                    multiprocessing.Process(target=spin, daemon=True).start()
                spin()
            """;

        var run = await sandbox.RunHostileAsync("python", code, OneCpuSecond);

        Assert.Equal(ExecutionStatus.TimeLimitExceeded, run.Result.Status);
        Assert.Equal("cpu", run.Result.LimitExceeded);
        Assert.InRange(run.Result.CpuTimeMs ?? 0, 950, 3000);
        Assert.InRange(run.Result.WallTimeMs, 0, OneCpuSecond.WallTimeMs - 1);
        // Three spinning processes still get one core (the run's CPU quota): CPU time cannot outrun the wall clock.
        Assert.InRange(run.Result.CpuTimeMs ?? 0, 0, run.Result.WallTimeMs + 300);
        await sandbox.AssertHostUntouchedAsync(run);
    }

    [Theory]
    [InlineData("python", "import time\ntime.sleep(30)")]
    [InlineData("javascript", "setTimeout(() => {}, 30000);")]
    public virtual async Task Sleeping_past_the_wall_limit_is_stopped_by_the_wall_clock(string language, string code)
    {
        var run = await sandbox.RunHostileAsync(language, code, OneWallSecond);

        Assert.Equal(ExecutionStatus.TimeLimitExceeded, run.Result.Status);
        Assert.Equal("wall", run.Result.LimitExceeded);
        Assert.InRange(run.Result.WallTimeMs, OneWallSecond.WallTimeMs, OneWallSecond.WallTimeMs + KernelUnderTest.Ms(4000));
        // Sleeping burns next to no CPU; the user-mode kernel, though, charges a node start (and its loaded host's delays)
        // as seconds of CPU time (3.2 and 4.1 s seen): there the verdict above is the proof, the CPU stays under its limit.
        Assert.InRange(run.Result.CpuTimeMs ?? 0, 0, KernelUnderTest.IsUserModeV2 ? OneWallSecond.CpuTimeMs - 1 : 500);
        await sandbox.AssertHostUntouchedAsync(run);
    }
}
