namespace Codify.Tests.Sandbox.Cgroups;

/// <summary>
/// Test helper: the join step of the Sandbox's LaunchCommand alone, to exercise a driver without bwrap.
/// .NET cannot run code between fork and exec, so the child joins its cgroups itself: a tiny shell writes its own pid
/// ($$, kept across exec) into every cgroup.procs file, then execs the real command. Run it as root, before dropping privileges.
/// </summary>
public static class CgroupJoin
{
    /// <summary>The wrapper's exit code when a join failed.</summary>
    public const int JoinFailedExitCode = 125;

    // Files and command travel as positional arguments, never spliced into the script: no shell injection.
    private const string Script = "n=$1; shift; while [ \"$n\" -gt 0 ]; do echo $$ > \"$1\" || exit 125; shift; n=$((n-1)); done; exec \"$@\"";

    /// <summary>The argv that joins <paramref name="procsFiles"/> and then execs <paramref name="command"/>.</summary>
    public static IReadOnlyList<string> Wrap(IReadOnlyList<string> procsFiles, IEnumerable<string> command, string shell = "/bin/sh")
    {
        ArgumentNullException.ThrowIfNull(procsFiles);
        // A failed join exits before exec: the sandbox never runs outside its limits.
        return [shell, "-c", Script, "codify-join", procsFiles.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), .. procsFiles, .. command];
    }
}
