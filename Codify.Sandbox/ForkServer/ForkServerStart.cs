using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;

namespace Codify.Sandbox.ForkServer;

/// <summary>What starting a fork server needs from the service.</summary>
internal sealed record ForkServerStart(
    IsolationOptions Isolation, ForkServerOptions Options, ICgroupDriver Cgroups, ProcessLauncher Launcher, string SeccompBpfPath,
    int MaxConcurrent, ILogger Logger);
