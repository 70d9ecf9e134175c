using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;

namespace Codify.Sandbox.Pool;

/// <summary>
/// One warm sandbox on its way: started in the background at a lower CPU priority. A run that has to wait for it (no
/// ready one was left) claims it, which puts it back to normal priority: it is on that run's path now, and must not be
/// starved by the very programs it waits behind.
/// </summary>
internal sealed class WarmStart
{
    private readonly Lock _gate = new();
    private StartedSandbox? _launched;
    private bool _claimed;

    public Task<WarmSandbox?> Ready { get; set; } = Task.FromResult<WarmSandbox?>(null);

    /// <summary>Called by the start once the sandbox's first process exists.</summary>
    public void Launched(StartedSandbox sandbox)
    {
        lock (_gate)
        {
            _launched = sandbox;
            if (_claimed)
            {
                Boost(sandbox);
            }
        }
    }

    /// <summary>A run waits for this start.</summary>
    public void Claim()
    {
        lock (_gate)
        {
            _claimed = true;
            if (_launched is { } sandbox)
            {
                Boost(sandbox);
            }
        }
    }

    private static void Boost(StartedSandbox sandbox)
    {
        try
        {
            if (sandbox.Cgroup is IReusableCgroupRun cgroup)
            {
                Niceness.Reset(cgroup.Pids());
            }
        }
        catch (Exception e) when (e is IOException or CgroupException or UnauthorizedAccessException)
        {
            // Only a priority: the start still completes, and dispatch resets every thread again.
        }
    }
}
