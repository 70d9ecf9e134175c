using Codify.Contracts;
using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Readiness;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Codify.Tests.Sandbox.Cold;

/// <summary>Fail closed: when any piece of isolation is missing, the probe reports why and nothing runs.</summary>
[SandboxTier]
public sealed class IsolationProbeTests
{
    [Fact]
    public async Task Missing_bubblewrap_makes_the_service_unhealthy_and_refuses_every_run()
    {
        using var sandbox = new RealSandbox(new IsolationOptions { BubblewrapPath = "/nonexistent/bwrap" });

        await sandbox.Probe.ProbeAsync(CancellationToken.None);
        var health = await new IsolationHealthCheck(sandbox.State, new ExecutionModeState()).CheckHealthAsync(new HealthCheckContext());
        var result = await sandbox.Runner.RunAsync("x", new ExecutionSpec("python", "print(1)", null, SandboxRunnerFixture.Limits()), CancellationToken.None);

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("/nonexistent/bwrap is missing", health.Description, StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.InternalError, result.Status);
        Assert.Contains("cannot isolate", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sandbox_that_starts_but_cannot_run_programs_is_unhealthy()
    {
        // /bin/true exists, so the tools look present, but nothing is ever executed: the canary must catch it.
        using var sandbox = new RealSandbox(new IsolationOptions { BubblewrapPath = "/bin/true" });

        await sandbox.Probe.ProbeAsync(CancellationToken.None);

        Assert.False(sandbox.State.IsReady);
        Assert.Contains("python canary failed", sandbox.State.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_cgroups_nothing_runs_and_the_reason_is_reported()
    {
        using var sandbox = new RealSandbox(new IsolationOptions(), cgroups: new UnavailableCgroupDriver("no memory hierarchy"));

        await sandbox.Probe.ProbeAsync(CancellationToken.None);

        Assert.False(sandbox.State.IsReady);
        Assert.Contains("cgroup setup failed", sandbox.State.Reason, StringComparison.Ordinal);
        Assert.Contains("no memory hierarchy", sandbox.State.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_seccomp_filter_nothing_runs_and_the_reason_is_reported()
    {
        // The filter is written next to the run root; under /proc nothing can be written, so the filter cannot exist.
        using var sandbox = new RealSandbox(new IsolationOptions { RunRoot = "/proc/codify-test/runs" });

        await sandbox.Probe.ProbeAsync(CancellationToken.None);
        var result = await sandbox.Runner.RunAsync("x", new ExecutionSpec("python", "print(1)", null, SandboxRunnerFixture.Limits()), CancellationToken.None);

        Assert.False(sandbox.State.IsReady);
        Assert.Contains("seccomp setup failed", sandbox.State.Reason, StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.InternalError, result.Status);
    }

    [Fact]
    public void Before_any_probe_the_sandbox_is_closed() => Assert.False(new IsolationState().IsReady);
}
