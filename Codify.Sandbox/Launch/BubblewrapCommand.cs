using Codify.Contracts;

namespace Codify.Sandbox.Launch;

/// <summary>
/// Builds the argv of one isolated run: setpriv (drop to an unprivileged uid) → bwrap (namespaces, mounts,
/// seccomp from fd 3) → interpreter. <see cref="LaunchCommand"/> runs it after joining cgroups and opening fd 3.
/// </summary>
public static class BubblewrapCommand
{
    public const string WorkDir = "/box";

    /// <summary>The fd the launch wrapper opens the seccomp BPF file on.</summary>
    public const string SeccompFd = "3";

    /// <summary>The path inside the sandbox where a warm sandbox's launcher file is bound (Pool/).</summary>
    public const string LauncherDir = "/.codify";

    public static IReadOnlyList<string> Build(
        IsolationOptions options, int hostUid, LanguageInfo language, IReadOnlyList<(string HostPath, string Name)> programFiles,
        string passwdFile, ExecutionLimits limits, IReadOnlyList<string>? programArgs = null) =>
        Build(options, hostUid, programFiles, passwdFile, [.. InterpreterCommand(options, language, limits, programFiles[0].Name), .. programArgs ?? []]);

    /// <summary>
    /// The same isolation around any interpreter command (a warm sandbox's launcher, see Pool/): the layers never
    /// depend on what runs inside. <paramref name="extraReadOnly"/> binds more host files read-only at absolute paths;
    /// <paramref name="channel"/> binds the one host file the sandbox may write (the capture channel).
    /// </summary>
    public static IReadOnlyList<string> Build(
        IsolationOptions options, int hostUid, IReadOnlyList<(string HostPath, string Name)> programFiles, string passwdFile,
        IReadOnlyList<string> interpreterCommand, IReadOnlyList<(string HostPath, string SandboxPath)>? extraReadOnly = null,
        (string HostPath, string SandboxPath)? channel = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> args =
        [
            options.SetprivPath,
            // Never run bwrap as root: inside, uid 0 would map to host root and read root-owned binds.
            $"--reuid={hostUid}", $"--regid={hostUid}", "--clear-groups",
            // No privilege can be regained through setuid binaries or file capabilities.
            "--no-new-privs",
            "--",
            options.BubblewrapPath,
            // Fresh user/pid/net/ipc/uts/cgroup/mount namespaces: no network interface but lo, no view of host processes.
            "--unshare-all", "--unshare-user",
            // Every run looks the same inside (nobody/nogroup) whatever pool uid it has on the host.
            "--uid", options.RunAsUid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--gid", options.RunAsGid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The program cannot create nested namespaces to escape the mount/pid view or gain capabilities in them.
            "--disable-userns",
            // If the Sandbox service dies, the run dies with it instead of living on unmanaged.
            "--die-with-parent",
            // A new session: the program cannot push input into the Sandbox's terminal (TIOCSTI).
            "--new-session",
            "--cap-drop", "ALL",
            .. View(options, passwdFile),
            "--chdir", WorkDir,
            // Syscalls that attack the kernel or other processes (ptrace, mount, unshare, bpf, ...) fail with EPERM.
            "--seccomp", SeccompFd,
            "--",
        ];
        // The program's files are read-only binds of files the host wrote: the program cannot rewrite itself for a rerun.
        var insertAt = args.IndexOf("--chdir");
        args.InsertRange(insertAt, programFiles.SelectMany(f => new[] { "--ro-bind", f.HostPath, $"{WorkDir}/{f.Name}" }));
        insertAt = args.IndexOf("--chdir");
        args.InsertRange(insertAt, (extraReadOnly ?? []).SelectMany(f => new[] { "--ro-bind", f.HostPath, f.SandboxPath }));
        if (channel is { } writable)
        {
            // One file, not a folder: a mount point cannot be renamed, unlinked or swapped for a symlink, so the host's
            // path keeps naming the file it created, whatever the program does (Judge0 CVE-2024-28185).
            args.InsertRange(args.IndexOf("--chdir"), ["--bind", writable.HostPath, writable.SandboxPath]);
        }

        args.AddRange(interpreterCommand);
        return args;
    }

    /// <summary>
    /// What every sandbox sees, whatever runs inside: a clean environment, the hostname, read-only system files, a synthetic
    /// passwd, /proc, /dev and size-capped tmpfs mounts (the fork server's view too, ForkServer/).
    /// </summary>
    internal static string[] View(IsolationOptions options, string passwdFile) =>
    [
        // Nothing of the host's environment (secrets, connection strings) reaches the program.
        "--clearenv",
        "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin",
        "--setenv", "HOME", WorkDir,
        "--setenv", "LANG", "C.UTF-8",
        "--setenv", "MPLBACKEND", "Agg",
        "--hostname", "codify",
        // Read-only system files: the program cannot alter interpreters or libraries for later runs.
        "--ro-bind", "/usr", "/usr",
        "--symlink", "usr/lib", "/lib",
        "--symlink", "usr/lib64", "/lib64",
        "--symlink", "usr/bin", "/bin",
        "--symlink", "usr/sbin", "/sbin",
        "--ro-bind-try", "/etc/alternatives", "/etc/alternatives",
        "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
        "--ro-bind-try", "/etc/matplotlibrc", "/etc/matplotlibrc",
        "--ro-bind-try", "/etc/fonts", "/etc/fonts",
        // A synthetic passwd: the host's account list stays hidden.
        "--ro-bind", passwdFile, "/etc/passwd",
        "--proc", "/proc",
        "--dev", "/dev",
        // Size-capped tmpfs mounts: filling /tmp, /dev/shm or the work dir cannot exhaust host disk or RAM.
        "--size", options.TmpfsBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tmpfs", "/tmp",
        "--size", options.TmpfsBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tmpfs", "/dev/shm",
        "--size", options.TmpfsBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tmpfs", WorkDir,
    ];

    /// <summary>Node's heap cap for a run's memory limit (it is fixed when node starts, so a warm node serves only runs with the same cap).</summary>
    public static long NodeHeapMegabytes(ExecutionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return Math.Max(8, limits.MemoryBytes * 3 / 4 / (1024 * 1024));
    }

    internal static string[] InterpreterCommand(IsolationOptions options, LanguageInfo language, ExecutionLimits limits, string entry) =>
        language.Name switch
        {
            // -E -s: no PYTHON* variables, no user site folder; -u: unbuffered, so output streams live as events. Not -I: it also drops the script's folder from sys.path,
            // which multi-file programs need for their own imports.
            "python" => [options.PythonPath, "-E", "-s", "-u", entry],
            // A heap cap under the cgroup limit: JS heap growth ends in node's own "heap out of memory" report, not a bare OOM kill.
            // --no-rehash-snapshot: node keeps its snapshot's string-hash seed instead of drawing and rehashing a new one,
            // about a tenth of a start's CPU (bench/scripts/node_warm_cost.py). A known seed only lets crafted input slow a
            // program's own hash tables (hash flooding): one run, its own input, under its CPU and wall limits, nothing shared.
            "javascript" => [options.NodePath, $"--max-old-space-size={NodeHeapMegabytes(limits)}", "--no-rehash-snapshot", entry],
            _ => throw new ArgumentOutOfRangeException(nameof(language), language.Name, "unsupported language"),
        };
}
