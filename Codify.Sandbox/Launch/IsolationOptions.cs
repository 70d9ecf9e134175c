using System.ComponentModel.DataAnnotations;

namespace Codify.Sandbox.Launch;

/// <summary>Where the isolation tools and interpreters live, and who the sandboxed program runs as. Section "Isolation".</summary>
public sealed class IsolationOptions
{
    public const string Section = "Isolation";

    [Required]
    public string BubblewrapPath { get; set; } = "/usr/bin/bwrap";

    [Required]
    public string SetprivPath { get; set; } = "/usr/bin/setpriv";

    [Required]
    public string PythonPath { get; set; } = "/usr/bin/python3";

    [Required]
    public string NodePath { get; set; } = "/usr/bin/node";

    /// <summary>The uid/gid the program sees inside the sandbox (nobody/nogroup).</summary>
    [Range(1, int.MaxValue)]
    public int RunAsUid { get; set; } = 65534;

    [Range(1, int.MaxValue)]
    public int RunAsGid { get; set; } = 65534;

    /// <summary>
    /// First of the unprivileged host uids (and gids) runs get, one per concurrent run; never root, so host-owned files
    /// stay unreadable. Far above regular users (1000+), nobody (65534) and the usual subuid ranges (100000+).
    /// </summary>
    [Range(70000, int.MaxValue - 100_000)]
    public int HostUidBase { get; set; } = 1_900_000;

    /// <summary>How many host uids the pool holds: at least the runs this host may run at once, all replicas together.</summary>
    [Range(1, 100_000)]
    public int HostUidCount { get; set; } = 1024;

    /// <summary>Root-only folder of the pool's lock files.</summary>
    [Required]
    public string HostUidLockRoot { get; set; } = "/run/codify/uids";

    /// <summary>
    /// Host folder holding one root-owned folder per run (the program's files, written by the host). Under root-only
    /// /run by default: in a world-writable /tmp another local user could pre-create or swap the folder.
    /// </summary>
    [Required]
    public string RunRoot { get; set; } = "/run/codify/runs";

    /// <summary>Size cap of the writable work dir, /tmp and /dev/shm tmpfs mounts inside the sandbox.</summary>
    [Range(1024 * 1024, 4L * 1024 * 1024 * 1024)]
    public long TmpfsBytes { get; set; } = 64L * 1024 * 1024;
}
