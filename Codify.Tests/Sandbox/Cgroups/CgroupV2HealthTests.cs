using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Readiness;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Codify.Tests.Sandbox.Cgroups;

/// <summary>
/// What the Sandbox's health says on a v2 host where it must not or cannot build its cgroups: the real probe and health
/// check over a driver detected from a fake v2 tree. Unhealthy, with the reason, and no run started (fail closed).
/// </summary>
[SandboxTier]
public sealed class CgroupV2HealthTests : IDisposable
{
    private readonly List<FakeCgroupV2Kernel> _kernels = [];

    public void Dispose() => _kernels.ForEach(k => k.Dispose());

    private async Task<HealthCheckResult> HealthAsync(FakeCgroupV2Kernel kernel, string mounts)
    {
        _kernels.Add(kernel);
        var options = new CgroupOptions { Root = kernel.Root, SwapsPath = kernel.SwapsFile };
        var driver = CgroupDetector.Detect(options, mounts, kernel.SelfCgroup, kernel, null).Driver;
        var isolation = new IsolationOptions { RunRoot = Path.Combine(kernel.Root, "runs") };
        using var sandbox = new RealSandbox(isolation, cgroups: driver);
        await sandbox.Probe.ProbeAsync(CancellationToken.None);
        return await new IsolationHealthCheck(sandbox.State, new ExecutionModeState()).CheckHealthAsync(new HealthCheckContext());
    }

    [Fact]
    public async Task Started_in_a_login_sessions_scope_it_is_unhealthy_and_says_it_is_not_delegated()
    {
        var health = await HealthAsync(new FakeCgroupV2Kernel("user.slice/user-0.slice/session-3.scope", delegated: false), FakeCgroupV2Kernel.Mounts);

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.StartsWith("sandbox refuses to run code: ", health.Description, StringComparison.Ordinal);
        Assert.Contains("session-3.scope is not delegated to the Sandbox", health.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_cgroupfs_is_unhealthy_and_says_so()
    {
        var health = await HealthAsync(new FakeCgroupV2Kernel(), FakeCgroupV2Kernel.MountsText(readOnly: true));

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("cgroup2 at ", health.Description, StringComparison.Ordinal);
        Assert.Contains(" is mounted read-only", health.Description, StringComparison.Ordinal);
    }
}
