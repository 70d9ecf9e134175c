using System.ComponentModel.DataAnnotations;

namespace Codify.Sandbox.Isolation;

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

    /// <summary>Unprivileged host uid/gid the sandbox runs as (nobody/nogroup): never root, so host-owned files stay unreadable.</summary>
    [Range(1, int.MaxValue)]
    public int RunAsUid { get; set; } = 65534;

    [Range(1, int.MaxValue)]
    public int RunAsGid { get; set; } = 65534;

    /// <summary>Host folder holding one root-owned folder per run (the program's files, written by the host).</summary>
    [Required]
    public string RunRoot { get; set; } = Path.Combine(Path.GetTempPath(), "codify-runs");

    /// <summary>Size cap of the writable work dir, /tmp and /dev/shm tmpfs mounts inside the sandbox.</summary>
    [Range(1024 * 1024, 4L * 1024 * 1024 * 1024)]
    public long TmpfsBytes { get; set; } = 64L * 1024 * 1024;
}
