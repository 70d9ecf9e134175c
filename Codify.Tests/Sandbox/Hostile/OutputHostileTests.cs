using Codify.Contracts;

namespace Codify.Tests.Sandbox.Hostile;

/// <summary>Floods of output are cut at the budget, on the stream that flooded, and the run is killed.</summary>
[SandboxTier]
public class OutputHostileTests(SandboxRunnerFixture sandbox) : IClassFixture<SandboxRunnerFixture>
{
    private const int Cap = 10_000;

    private static readonly ExecutionLimits Limits = SandboxRunnerFixture.Limits(wallMs: 5000, outputBytes: Cap);

    [Theory]
    [InlineData("python", "while True:\n    print('x' * 1000)", true)]
    [InlineData("python", "import sys\nwhile True:\n    sys.stderr.write('x' * 1000 + '\\n')", false)]
    [InlineData("javascript", "const s = 'x'.repeat(1000) + '\\n';\nfor (;;) process.stdout.write(s);", true)]
    [InlineData("javascript", "const s = 'x'.repeat(1000) + '\\n';\nfor (;;) process.stderr.write(s);", false)]
    public async Task A_flood_is_output_limit_exceeded_kept_to_the_cap_on_its_own_stream(string language, string code, bool stdout)
    {
        var run = await sandbox.RunHostileAsync(language, code, Limits);

        var result = run.Result;
        Assert.Equal(ExecutionStatus.OutputLimitExceeded, result.Status);
        Assert.Equal(Cap, (stdout ? result.Stdout : result.Stderr).Length);
        Assert.Equal("", stdout ? result.Stderr : result.Stdout);
        Assert.Equal(stdout, result.StdoutTruncated);
        Assert.Equal(!stdout, result.StderrTruncated);
        await sandbox.AssertHostUntouchedAsync(run);
    }

    [Fact]
    public async Task A_flood_on_both_streams_shares_one_budget()
    {
        const string code = """
            import sys
            while True:
                sys.stdout.write('o' * 999 + '\n')
                sys.stdout.flush()
                sys.stderr.write('e' * 999 + '\n')
            """;

        var run = await sandbox.RunHostileAsync("python", code, Limits);

        var result = run.Result;
        Assert.Equal(ExecutionStatus.OutputLimitExceeded, result.Status);
        Assert.Equal(Cap, result.Stdout.Length + result.Stderr.Length);
        Assert.True(result.StdoutTruncated || result.StderrTruncated);
        Assert.DoesNotContain('e', result.Stdout);
        Assert.DoesNotContain('o', result.Stderr);
        await sandbox.AssertHostUntouchedAsync(run);
    }
}
