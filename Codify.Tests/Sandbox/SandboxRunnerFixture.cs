using Codify.Contracts;
using Codify.Sandbox;
using Codify.Sandbox.ForkServer;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Pool;
using Codify.Sandbox.Readiness;
using Codify.Sandbox.Supervision;
using Codify.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Codify.Tests.Sandbox;

/// <summary>
/// A real bubblewrap runner, proven ready by the real probe, with its own run folder root. Cold only; a derived fixture
/// with <see cref="PoolSizes"/> serves runs from a real warm pool instead (the cold path stays the fallback).
/// </summary>
public class SandboxRunnerFixture : IAsyncLifetime, IDisposable
{
    public IsolationOptions Options { get; } = new()
    {
        RunRoot = Path.Combine(Path.GetTempPath(), $"codify-test-runs-{Guid.NewGuid():N}"),
    };

    private RealSandbox? _sandbox;
    private SandboxPool? _pool;
    private PooledSandboxRunner? _pooled;
    private ForkServers? _servers;
    private ForkServers? _leanServers;
    private ForkServerRunner? _forking;
    private readonly Pool.SandboxRunCounts _runs = new();

    public IsolationState State => Sandbox.State;

    /// <summary>What the tests run programs through: the pooled runner when this fixture has a pool, else the cold one.</summary>
    public virtual ISandboxRunner Runner => (ISandboxRunner?)_forking ?? (ISandboxRunner?)_pooled ?? Sandbox.Runner;

    /// <summary>The pooled runner (its warm/cold counts), or null for a cold-only fixture.</summary>
    internal PooledSandboxRunner? Pooled => _pooled;

    /// <summary>Runs the pooled runner served warm so far (from its <c>codify.sandbox.runs</c> metric).</summary>
    public long WarmRuns => _runs.Warm;

    /// <summary>Runs the pooled runner started cold so far.</summary>
    public long ColdRuns => _runs.Cold;

    /// <summary>Runs served by a fork of the fork server so far.</summary>
    public long ForkRuns => _runs.Fork;

    internal ForkServers? Servers => _servers;

    /// <summary>The lean fork server (nothing preloaded) when <see cref="ForkServer"/> asks for it, as production does by default.</summary>
    internal ForkServers? LeanServers => _leanServers;

    /// <summary>The fork server's settings; null: no fork server (python runs go to the pool or cold).</summary>
    public virtual ForkServerOptions? ForkServer => null;

    public ExecutionModeState Modes { get; } = new();

    internal SandboxPool? Pool => _pool;

    internal RealSandbox Sandbox => _sandbox ?? throw new InvalidOperationException("not initialized");

    /// <summary>Completes once every finished sandbox so far is torn down (that happens right after its result).</summary>
    public Task WhenCleanedUpAsync() => Sandbox.Cleanup.WhenIdleAsync();

    /// <summary>Whether a run's program is a file in /box (bound read-only); a session's cell is code handed to a live interpreter.</summary>
    public virtual bool ProgramIsAFile => true;

    /// <summary>Caps on returned outputs and files; null: the defaults.</summary>
    public virtual Codify.Sandbox.Capture.CaptureOptions? Capture => null;

    /// <summary>Warm sandboxes per language; null: no pool.</summary>
    public virtual PoolOptions? PoolSizes => null;

    /// <summary>Time limits are scaled for the Kernel tier's slower user-mode kernel (<see cref="KernelUnderTest"/>).</summary>
    public static ExecutionLimits Limits(int wallMs = 10_000, long outputBytes = 1 << 20) =>
        new(WallTimeMs: KernelUnderTest.Ms(wallMs), CpuTimeMs: KernelUnderTest.Ms(wallMs), MemoryBytes: 256L << 20, Processes: 64,
            OutputBytes: outputBytes, FileSizeBytes: 1 << 20);

    public Task<ExecutionResult> RunAsync(string language, string code, string? stdin = null, ExecutionLimits? limits = null,
        CancellationToken cancellationToken = default) =>
        Runner.RunAsync("test", new ExecutionSpec(language, code, stdin, limits ?? Limits()), cancellationToken);

    public virtual async Task InitializeAsync()
    {
        _sandbox = new RealSandbox(Options, capture: Capture);
        await Sandbox.Probe.ProbeAsync(CancellationToken.None);
        // In the user-mode kernel on a loaded host a canary can pass the probe's fixed CPU budget (seen once: node over
        // 5 s of CPU); the service re-probes on a timer, and so does the Kernel tier, twice at most.
        for (var retry = 0; retry < 2 && !State.IsReady && KernelUnderTest.IsUserModeV2; retry++)
        {
            await Sandbox.Probe.ProbeAsync(CancellationToken.None);
        }

        Assert.True(State.IsReady, State.Reason);
        // The Kernel tier proves the v2 driver: a run there that fell back to anything else would prove nothing.
        Assert.Equal(KernelUnderTest.IsUserModeV2 ? "v2" : Sandbox.Cgroups.Version, Sandbox.Cgroups.Version);
        if (PoolSizes is { } sizes)
        {
            var (isolation, pool) = (Microsoft.Extensions.Options.Options.Create(Options), Microsoft.Extensions.Options.Options.Create(sizes));
            _pool = new SandboxPool(State, Sandbox.Starter, isolation, pool, NullLogger<SandboxPool>.Instance);
            _pooled = new PooledSandboxRunner(Sandbox.Runner, _pool, State, Sandbox.Supervisor, Sandbox.Cleanup, pool, Sandbox.Capture,
                NullLogger<PooledSandboxRunner>.Instance, _runs.Meters);
            await _pool.StartAsync(CancellationToken.None);
            await WaitForFullPoolAsync();
            if (ForkServer is { } fork)
            {
                var sandboxOptions = Microsoft.Extensions.Options.Options.Create(new SandboxOptions { Mode = SandboxMode.ForkServer });
                ForkServers Server(ForkServerOptions o) => new(State, Modes, Sandbox.Cgroups, Sandbox.Uids, Sandbox.Seccomp, Sandbox.Launcher,
                    isolation, Microsoft.Extensions.Options.Options.Create(o), sandboxOptions, NullLogger<ForkServers>.Instance);
                _servers = Server(fork);
                _leanServers = fork.Lean ? Server(fork.LeanVariant()) : null;
                _forking = new ForkServerRunner(_pooled, _servers, State, Modes, Sandbox.Supervisor, Sandbox.Cleanup,
                    NullLogger<ForkServerRunner>.Instance, _runs.Meters, _leanServers);
                foreach (var servers in new[] { _servers, _leanServers }.OfType<ForkServers>())
                {
                    await servers.StartAsync(CancellationToken.None);
                    await Eventually.ReturnsAsync(() => Task.FromResult(servers.ReadyChildren), ready => ready == fork.Prefork,
                        TimeSpan.FromSeconds(60), $"the fork server starting ({Modes.Describe()}; {servers.ExecuteTask?.Status} {servers.ExecuteTask?.Exception})");
                }
            }
        }
    }

    /// <summary>Waits until every lane of the pool holds its full number of ready warm sandboxes.</summary>
    public async Task WaitForFullPoolAsync()
    {
        if (_pool is null)
        {
            return;
        }

        await Eventually.ReturnsAsync(
            () => Task.FromResult((Python: _pool.ReadyNow("python").Count, Node: _pool.ReadyNow("javascript").Count)),
            ready => ready.Python == PoolSizes!.Python && ready.Node == PoolSizes!.Node,
            KernelUnderTest.Scaled(TimeSpan.FromSeconds(30)), "the warm pool filling up");
    }

    public void Dispose()
    {
        _servers?.Dispose();
        _leanServers?.Dispose();
        _pool?.Dispose();
        _runs.Dispose();
        _sandbox?.Dispose();
        GC.SuppressFinalize(this);
    }

    public virtual async Task DisposeAsync()
    {
        if (_servers is not null)
        {
            await _servers.StopAsync(CancellationToken.None);
            if (_leanServers is not null)
            {
                await _leanServers.StopAsync(CancellationToken.None);
            }

            // A forking fixture that forked nothing would have tested the pool or cold path: fail its class loudly.
            if (ForkRuns == 0 && WarmRuns + ColdRuns > 0)
            {
                throw new InvalidOperationException($"the forking fixture forked none of its {WarmRuns + ColdRuns} runs");
            }
        }

        if (_pool is not null)
        {
            await _pool.StopAsync(CancellationToken.None);
            // A pooled fixture that served nothing warm would have tested the cold path twice: fail its class loudly
            // (a class cleanup failure fails the test run).
            var pooling = _pool.Serves("python") || _pool.Serves("javascript");
            if (pooling && ColdRuns > 0 && WarmRuns == 0)
            {
                throw new InvalidOperationException($"the pooled fixture served all {ColdRuns} runs cold");
            }
        }

        await WhenCleanedUpAsync();
        await DeleteRunRootAsync(Options.RunRoot);
    }

    /// <summary>Deletes a test's run root; run folders are removed in the background after each run, so retry a walk that raced one.</summary>
    public static async Task DeleteRunRootAsync(string root)
    {
        for (var attempt = 1; Directory.Exists(root); attempt++)
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException) when (attempt < 50)
            {
                await Task.Delay(20);
            }
        }
    }
}

/// <summary>The same real sandbox behind a warm pool of one Python and one Node sandbox: every plain run is served warm.</summary>
public sealed class PooledSandboxRunnerFixture : SandboxRunnerFixture
{
    public override PoolOptions PoolSizes { get; } = new() { Python = 1, Node = 1 };
}

/// <summary>
/// The same real sandbox with a real fork server in front of the pool: every plain python run is served by a fork (the
/// fixture fails if none was), node runs by the pool, as in production with Sandbox:Mode = ForkServer.
/// </summary>
public sealed class ForkedSandboxRunnerFixture : SandboxRunnerFixture
{
    public override PoolOptions PoolSizes { get; } = new() { Python = 1, Node = 1 };

    public override ForkServerOptions ForkServer { get; } = new() { Prefork = 2 };
}
