using Codify.Sandbox.Supervision;

namespace Codify.Tests.Sandbox.Supervision;

[UnitTier]
public sealed class OutputCaptureTests
{
    [Fact]
    public async Task Keeps_output_up_to_the_shared_budget_and_flags_the_stream_that_overflowed()
    {
        using var capture = new OutputCapture(budgetBytes: 10);
        var fired = 0;
        capture.BudgetExceeded += () => fired++;

        await capture.PumpStderrAsync(new MemoryStream("abcd"u8.ToArray()), CancellationToken.None);
        await capture.PumpStdoutAsync(new MemoryStream("0123456789"u8.ToArray()), CancellationToken.None);

        Assert.Equal("abcd", capture.Stderr);
        Assert.Equal("012345", capture.Stdout);
        Assert.True(capture.StdoutTruncated);
        Assert.False(capture.StderrTruncated);
        Assert.Equal(1, fired);
    }

    [Fact]
    public async Task Output_exactly_at_the_budget_is_not_truncated()
    {
        using var capture = new OutputCapture(budgetBytes: 4);

        await capture.PumpStdoutAsync(new MemoryStream("abcd"u8.ToArray()), CancellationToken.None);

        Assert.Equal("abcd", capture.Stdout);
        Assert.False(capture.Exceeded);
    }

    [Theory]
    [InlineData(137, "SIGKILL")]
    [InlineData(134, "SIGABRT")]
    [InlineData(139, "SIGSEGV")]
    [InlineData(1, null)]
    [InlineData(0, null)]
    public void Names_the_signal_behind_a_bwrap_exit_code(int exitCode, string? signal) =>
        Assert.Equal(signal, Signals.FromExitCode(exitCode));
}
