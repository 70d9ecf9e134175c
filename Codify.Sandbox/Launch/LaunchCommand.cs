using System.Globalization;
using Codify.Contracts;

namespace Codify.Sandbox.Launch;

/// <summary>
/// The first process of a run: a tiny /bin/sh wrapper that does what .NET cannot do between fork and exec.
/// It joins the run's cgroups, sets rlimits, opens the seccomp filter as fd 3, then execs setpriv → bwrap.
/// </summary>
public static class LaunchCommand
{
    public const string Shell = "/bin/sh";

    /// <summary>Exit code of the wrapper when a layer could not be set up; paired with the run's failure marker on stderr.</summary>
    public const int SetupFailedExitCode = 125;

    /// <summary>What the wrapper's failure line reads as once the run's random marker is taken out (for messages).</summary>
    public const string FailureMarkerName = "codify-launch:";

    // $1 = this run's failure marker, $2 = seccomp BPF file, then cgroup.procs files up to "--", then rlimits, then the command.
    // Joining happens before exec: the program's first instruction already runs inside the run's cgroups (no fork-bomb window).
    // dash exports PWD even from an empty environment: unset, or the service's folder shows in the sandbox's /proc/1/environ.
    private const string Script = """
        marker=$1; bpf=$2; shift 2
        while [ "$1" != "--" ]; do
          echo $$ > "$1" || { echo "$marker cannot join cgroup $1" >&2; exit 125; }
          shift
        done
        shift
        ulimit -c 0 && ulimit -n "$1" && ulimit -f "$2" && ulimit -t "$3" || { echo "$marker cannot set rlimits" >&2; exit 125; }
        shift 3
        exec 3< "$bpf" || { echo "$marker cannot open seccomp filter" >&2; exit 125; }
        unset PWD
        exec "$@"
        """;

    /// <summary>Open files per process: enough for node and numpy, not enough to exhaust the host's file table.</summary>
    public const int OpenFiles = 256;

    /// <summary>
    /// A fresh marker for one run's wrapper failure line. The program shares stderr and the exit code with the wrapper:
    /// with a fixed marker it could print it, exit 125 and pass for a setup failure, an internal error that also marks
    /// the replica broken (no code runs until the next probe). The random part exists only in the wrapper's argv, in
    /// the host's pid namespace, and is gone once the wrapper execs: the program cannot learn it.
    /// </summary>
    public static string NewFailureMarker() => $"codify-launch-{Guid.NewGuid():N}:";

    public static IReadOnlyList<string> Build(
        string failureMarker, string seccompBpfPath, IReadOnlyList<string> cgroupProcsFiles, ExecutionLimits limits,
        IReadOnlyList<string> sandboxCommand)
    {
        var args = new List<string> { "-c", Script, "codify-launch", failureMarker, seccompBpfPath };
        args.AddRange(cgroupProcsFiles);
        args.Add("--");
        args.Add(OpenFiles.ToString(CultureInfo.InvariantCulture));
        // dash counts RLIMIT_FSIZE in 512-byte blocks: a bigger write gets SIGXFSZ instead of filling the tmpfs.
        args.Add(Math.Max(1, limits.FileSizeBytes / 512).ToString(CultureInfo.InvariantCulture));
        // Per-process CPU backstop (the cgroup poll enforces the run-wide total): one second of slack past the limit.
        args.Add((limits.CpuTimeMs / 1000 + 2).ToString(CultureInfo.InvariantCulture));
        args.AddRange(sandboxCommand);
        return args;
    }
}
