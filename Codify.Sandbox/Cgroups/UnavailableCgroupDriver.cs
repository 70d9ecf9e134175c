using Codify.Contracts;

namespace Codify.Sandbox.Cgroups;

/// <summary>The driver of a host without usable cgroups: every run is refused with the detector's reason (fail closed).</summary>
public sealed class UnavailableCgroupDriver(string reason) : ICgroupDriver
{
    public string Version => "none";

    public string Reason { get; } = reason;

    public ICgroupRun Create(string runName, ExecutionLimits limits) => throw new CgroupException($"cgroups unavailable: {Reason}");
}
