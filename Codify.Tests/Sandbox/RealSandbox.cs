using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Cold;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Readiness;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Codify.Tests.Sandbox;

/// <summary>The real runner and probe, wired as the service wires them: host cgroups, libseccomp filter, launcher thread.</summary>
public sealed class RealSandbox : IDisposable
{
    private readonly SeccompProvider _seccomp;
    private readonly ProcessLauncher _launcher = new();

    public RealSandbox(IsolationOptions options, IsolationState? state = null, ICgroupDriver? cgroups = null)
    {
        var isolation = Options.Create(options);
        State = state ?? new IsolationState();
        _seccomp = new SeccompProvider(isolation, NullLogger<SeccompProvider>.Instance);
        Cgroups = cgroups ?? CgroupDetector.Detect(new CgroupOptions()).Driver;
        Runner = new BubblewrapRunner(isolation, State, Cgroups, _seccomp, new HostUidPool(isolation), _launcher, NullLogger<BubblewrapRunner>.Instance);
        Probe = new IsolationProbe(Runner, State, isolation, NullLogger<IsolationProbe>.Instance);
    }

    public IsolationState State { get; }

    public ICgroupDriver Cgroups { get; }

    public BubblewrapRunner Runner { get; }

    public IsolationProbe Probe { get; }

    public void Dispose()
    {
        Probe.Dispose();
        Runner.Dispose();
        _launcher.Dispose();
        _seccomp.Dispose();
    }
}
