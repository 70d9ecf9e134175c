namespace Codify.Sandbox.Cgroups;

/// <summary>
/// The v2 subtree the Sandbox owns: runs go below <see cref="Dir"/>. <see cref="MoveSelfIn"/>: this process sits outside it
/// (a configured delegated path) and moves itself into the subtree's leaf first.
/// </summary>
internal sealed record CgroupV2Home(string Dir, bool MoveSelfIn);

/// <summary>
/// Decides which v2 cgroup the Sandbox may build in (Documentation/admin-guide/cgroup-v2.rst, "Delegation"): only one
/// delegated to it. Taking over a cgroup it merely finds itself in (a login session's scope) would move the operator's
/// shell and everything else in it into the Sandbox's leaf, and a second start would nest deeper still.
/// </summary>
internal static class CgroupV2Ownership
{
    /// <summary>The cgroup the decision is about (the configured delegated path, else this process's, one level up when
    /// that is already the Sandbox's leaf from an earlier start), before asking whether it is owned.</summary>
    public static string Candidate(string ownPath, CgroupOptions options)
    {
        if (options.DelegatedPath.Length > 0)
        {
            return Normalize(options.DelegatedPath);
        }

        var own = Normalize(ownPath);
        // A second start finds itself in <home>/service, where the first one put it: the home is one level up, not deeper.
        return own != "/" && own.EndsWith("/" + options.ServiceLeafName, StringComparison.Ordinal)
            ? Normalize(own[..own.LastIndexOf('/')])
            : own;
    }

    /// <returns>The home, or null and why this cgroup is not the Sandbox's to build in.</returns>
    public static (CgroupV2Home? Home, string Reason) Resolve(string mountPoint, string ownPath, CgroupOptions options, CgroupFs fs)
    {
        var candidate = Candidate(ownPath, options);
        var dir = CgroupHostText.Join(mountPoint, candidate);
        if (options.DelegatedPath.Length > 0)
        {
            var own = Normalize(ownPath);
            var inside = candidate == "/" || own == candidate || own.StartsWith(candidate + "/", StringComparison.Ordinal);
            return (new CgroupV2Home(dir, MoveSelfIn: !inside), "");
        }

        // The root of what this process sees: the whole machine, or a container's private cgroup namespace.
        if (candidate == "/")
        {
            return (new CgroupV2Home(dir, false), "");
        }

        // systemd marks the cgroup of a unit with Delegate=yes (trusted.delegate; user.delegate for user managers).
        if (fs.ReadXattr(dir, "trusted.delegate") == "1" || fs.ReadXattr(dir, "user.delegate") == "1")
        {
            return (new CgroupV2Home(dir, false), "");
        }

        return (null, $"{dir} is not delegated to the Sandbox (not a cgroup namespace root, no trusted.delegate mark from a "
            + "systemd unit with Delegate=yes, Cgroups:DelegatedPath not set): it will not take over a cgroup it does not own, "
            + "such as a login session's scope (see README, Running on cgroup v2 hosts)");
    }

    private static string Normalize(string path) => "/" + path.Trim().Trim('/');
}
