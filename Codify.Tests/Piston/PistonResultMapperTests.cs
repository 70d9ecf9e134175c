using Codify.Contracts;
using Codify.ExecutionApi.Piston;

namespace Codify.Tests.Piston;

/// <summary>The status mapping for outcomes that are slow or awkward to provoke for real (the real ones are in PistonApiTests).</summary>
[UnitTier]
public sealed class PistonResultMapperTests
{
    [Theory]
    [InlineData(ExecutionStatus.Completed, 0, null, null, null)]
    [InlineData(ExecutionStatus.RuntimeError, 1, null, "RE", null)]
    [InlineData(ExecutionStatus.RuntimeError, 139, "SIGSEGV", "SG", "SIGSEGV")]
    [InlineData(ExecutionStatus.TimeLimitExceeded, 137, "SIGKILL", "TO", "SIGKILL")]
    [InlineData(ExecutionStatus.MemoryLimitExceeded, 137, "SIGKILL", "SG", "SIGKILL")]
    [InlineData(ExecutionStatus.MemoryLimitExceeded, 1, null, "RE", null)]
    [InlineData(ExecutionStatus.OutputLimitExceeded, 137, "SIGKILL", "OL", "SIGKILL")]
    [InlineData(ExecutionStatus.InternalError, null, null, "XX", null)]
    [InlineData(ExecutionStatus.Cancelled, 137, "SIGKILL", "XX", "SIGKILL")]
    public void Statuses_map_to_pistons_codes(ExecutionStatus status, int? exitCode, string? signal, string? pistonStatus, string? pistonSignal)
    {
        var run = PistonResultMapper.ToRun(Record(status, exitCode, signal));

        Assert.Equal(pistonStatus, run.Status);
        Assert.Equal(pistonSignal, run.Signal);
        Assert.Equal(pistonSignal is null ? exitCode : null, run.Code);
    }

    [Fact]
    public void Only_stderr_over_its_limit_is_EL()
    {
        var run = PistonResultMapper.ToRun(Record(ExecutionStatus.OutputLimitExceeded, 137, "SIGKILL") with { StderrTruncated = true, StdoutTruncated = false });

        Assert.Equal("EL", run.Status);
        Assert.Equal("stderr length exceeded", run.Message);
    }

    [Fact]
    public void Cpu_and_wall_timeouts_say_which_clock_ran_out()
    {
        var cpu = PistonResultMapper.ToRun(Record(ExecutionStatus.TimeLimitExceeded, 137, "SIGKILL") with { LimitExceeded = "cpu" });
        var wall = PistonResultMapper.ToRun(Record(ExecutionStatus.TimeLimitExceeded, 137, "SIGKILL") with { LimitExceeded = "wall" });

        Assert.Equal("Time limit exceeded", cpu.Message);
        Assert.Equal("Time limit exceeded (wall clock)", wall.Message);
    }

    private static ExecutionRecord Record(ExecutionStatus status, int? exitCode, string? signal) => new()
    {
        Id = "x",
        Status = status,
        Language = "python",
        CreatedAt = DateTimeOffset.UnixEpoch,
        ExitCode = exitCode,
        Signal = signal,
        Stdout = "out",
        Stderr = "err",
        Message = status == ExecutionStatus.InternalError ? "sandbox setup failed" : null,
    };
}
