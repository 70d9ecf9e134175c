using Codify.Contracts;
using Codify.Sandbox.Isolation;

namespace Codify.Tests.Sandbox;

/// <summary>A real bubblewrap runner, proven ready by the real probe, with its own run folder root.</summary>
public sealed class SandboxRunnerFixture : IAsyncLifetime, IDisposable
{
    public IsolationOptions Options { get; } = new()
    {
        RunRoot = Path.Combine(Path.GetTempPath(), $"codify-test-runs-{Guid.NewGuid():N}"),
    };

    private RealSandbox? _sandbox;

    public IsolationState State => Sandbox.State;

    public BubblewrapRunner Runner => Sandbox.Runner;

    public RealSandbox Sandbox => _sandbox ?? throw new InvalidOperationException("not initialized");

    public static ExecutionLimits Limits(int wallMs = 10_000, long outputBytes = 1 << 20) =>
        new(WallTimeMs: wallMs, CpuTimeMs: wallMs, MemoryBytes: 256L << 20, Processes: 64, OutputBytes: outputBytes, FileSizeBytes: 1 << 20);

    public Task<ExecutionResult> RunAsync(string language, string code, string? stdin = null, ExecutionLimits? limits = null,
        CancellationToken cancellationToken = default) =>
        Runner.RunAsync("test", new ExecutionSpec(language, code, stdin, limits ?? Limits()), cancellationToken);

    public async Task InitializeAsync()
    {
        _sandbox = new RealSandbox(Options);
        await Sandbox.Probe.ProbeAsync(CancellationToken.None);
        Assert.True(State.IsReady, State.Reason);
    }

    public void Dispose() => _sandbox?.Dispose();

    public Task DisposeAsync()
    {
        if (Directory.Exists(Options.RunRoot))
        {
            Directory.Delete(Options.RunRoot, recursive: true);
        }

        return Task.CompletedTask;
    }
}
