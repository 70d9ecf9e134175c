using System.Text.RegularExpressions;
using Codify.Contracts;

namespace Codify.Sandbox.Cgroups;

/// <summary>Argument checks shared by both drivers.</summary>
internal static partial class CgroupChecks
{
    public static void Validate(string runName, ExecutionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ValidateName(runName);
        ValidateLimits(limits);
    }

    public static void ValidateName(string runName)
    {
        // One plain path segment only: "../x" or "a/b" would create, rename or limit a cgroup outside the run's parent.
        if (runName is null || !SafeName().IsMatch(runName))
        {
            throw new ArgumentException($"run name '{runName}' must be 1-100 of [A-Za-z0-9_-]", nameof(runName));
        }
    }

    /// <summary>A parent folder name, checked like a run name: leftovers removal must never reach outside the service's own cgroup.</summary>
    public static string ParentName(string parentName)
    {
        ValidateName(parentName);
        return parentName;
    }

    public static void ValidateLimits(ExecutionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        // 0 or negative would mean "no limit" or a kernel error: a run never starts unlimited.
        if (limits.MemoryBytes < 1 << 20 || limits.Processes < 1)
        {
            throw new CgroupException($"invalid limits: memory {limits.MemoryBytes} bytes, {limits.Processes} processes");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$")]
    private static partial Regex SafeName();
}
