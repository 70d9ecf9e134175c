using System.Globalization;
using Codify.Contracts;

namespace Codify.Sandbox.Isolation;

/// <summary>
/// The first process of a run: a tiny /bin/sh wrapper that does what .NET cannot do between fork and exec.
/// It joins the run's cgroups, sets rlimits, opens the seccomp filter as fd 3, then execs setpriv → bwrap.
/// </summary>
public static class LaunchCommand
{
    public const string Shell = "/bin/sh";

    /// <summary>Exit code of the wrapper when a layer could not be set up; paired with <see cref="FailureMarker"/> on stderr.</summary>
    public const int SetupFailedExitCode = 125;

    public const string FailureMarker = "codify-launch:";

    // $1 = seccomp BPF file, then cgroup.procs files up to "--", then rlimits, then the command.
    // Joining happens before exec: the program's first instruction already runs inside the run's cgroups (no fork-bomb window).
    // dash exports PWD even from an empty environment: unset, or the service's folder shows in the sandbox's /proc/1/environ.
    private const string Script = """
        bpf=$1; shift
        while [ "$1" != "--" ]; do
          echo $$ > "$1" || { echo "codify-launch: cannot join cgroup $1" >&2; exit 125; }
          shift
        done
        shift
        ulimit -c 0 && ulimit -n "$1" && ulimit -f "$2" && ulimit -t "$3" || { echo "codify-launch: cannot set rlimits" >&2; exit 125; }
        shift 3
        exec 3< "$bpf" || { echo "codify-launch: cannot open seccomp filter" >&2; exit 125; }
        unset PWD
        exec "$@"
        """;

    /// <summary>Open files per process: enough for node and numpy, not enough to exhaust the host's file table.</summary>
    public const int OpenFiles = 256;

    public static IReadOnlyList<string> Build(
        string seccompBpfPath, IReadOnlyList<string> cgroupProcsFiles, ExecutionLimits limits, IReadOnlyList<string> sandboxCommand)
    {
        var args = new List<string> { "-c", Script, "codify-launch", seccompBpfPath };
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
