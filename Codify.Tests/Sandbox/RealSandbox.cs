using Codify.Sandbox.Capture;
using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Cold;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Readiness;
using Codify.Sandbox.Supervision;
using Codify.Sandbox.Workspace;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Codify.Tests.Sandbox;

/// <summary>
/// The real runner and probe, wired as the service wires them: host cgroups, libseccomp filter, launcher thread, and the
/// starter, supervisor and clean-up that the cold runner and the warm pool share.
/// </summary>
internal sealed class RealSandbox : IDisposable
{
    private readonly SeccompProvider _seccomp;
    private readonly ProcessLauncher _launcher = new();

    public SeccompProvider Seccomp => _seccomp;

    public ProcessLauncher Launcher => _launcher;

    public HostUidPool Uids { get; }

    public RealSandbox(IsolationOptions options, IsolationState? state = null, ICgroupDriver? cgroups = null, CaptureOptions? capture = null)
    {
        Capture = Options.Create(capture ?? new CaptureOptions());
        var isolation = Options.Create(options);
        State = state ?? new IsolationState();
        _seccomp = new SeccompProvider(isolation, NullLogger<SeccompProvider>.Instance);
        Cgroups = cgroups ?? CgroupDetector.Detect(new CgroupOptions()).Driver;
        Uids = new HostUidPool(isolation);
        Starter = new SandboxStarter(isolation, Cgroups, _seccomp, Uids, _launcher);
        Supervisor = new RunSupervisor(State, Capture, NullLogger<RunSupervisor>.Instance);
        Runner = new BubblewrapRunner(isolation, Capture, State, Starter, Supervisor, Cleanup, NullLogger<BubblewrapRunner>.Instance);
        Probe = new IsolationProbe(Runner, State, isolation, NullLogger<IsolationProbe>.Instance);
    }

    public IsolationState State { get; }

    /// <summary>The caps on returned outputs and files (the defaults unless the fixture gives its own).</summary>
    public IOptions<CaptureOptions> Capture { get; }

    public ICgroupDriver Cgroups { get; }

    public SandboxStarter Starter { get; }

    public RunSupervisor Supervisor { get; }

    /// <summary>Tears finished sandboxes down after their result; <c>WhenIdleAsync</c> says when all so far are gone.</summary>
    public SandboxCleanup Cleanup { get; } = new();

    public BubblewrapRunner Runner { get; }

    public IsolationProbe Probe { get; }

    public void Dispose()
    {
        Probe.Dispose();
        Cleanup.Dispose();
        _launcher.Dispose();
        _seccomp.Dispose();
    }
}
