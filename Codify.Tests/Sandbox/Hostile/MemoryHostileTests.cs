using Codify.Contracts;

namespace Codify.Tests.Sandbox.Hostile;

/// <summary>Programs that grow memory without bound stop at the run's memory limit, with the peak reported.</summary>
public sealed class MemoryHostileTests(SandboxRunnerFixture sandbox) : IClassFixture<SandboxRunnerFixture>
{
    private const long Limit = 96L << 20;

    // The cgroup limit is hard (v1 memory.limit_in_bytes, no swap): the peak never passes it; a little slack for rounding.
    private const long Slack = 1L << 20;

    private const string PythonListGrowth = """
        a = []
        i = 0
        while True:
            a.append(i)
            i += 1
        """;

    private const string NodeBufferGrowth = """
        const a = [];
        while (true) a.push(Buffer.alloc(1 << 20, 1));
        """;

    private const string JsHeapGrowth = """
        const a = [];
        while (true) a.push({ i: a.length, s: 'x' + a.length });
        """;

    [Theory]
    [InlineData("python", PythonListGrowth)]
    [InlineData("javascript", NodeBufferGrowth)]
    [InlineData("javascript", JsHeapGrowth)]
    public async Task Unbounded_growth_is_memory_limit_exceeded_with_the_peak_under_the_limit(string language, string code)
    {
        var limits = SandboxRunnerFixture.Limits(wallMs: 30_000) with { MemoryBytes = Limit };

        var run = await sandbox.RunHostileAsync(language, code, limits);

        Assert.Equal(ExecutionStatus.MemoryLimitExceeded, run.Result.Status);
        Assert.InRange(run.Result.MemoryPeakBytes ?? 0, 1, Limit + Slack);
        Assert.InRange(run.Result.WallTimeMs, 0, limits.WallTimeMs - 1);
        await sandbox.AssertHostUntouchedAsync(run);
    }
}
