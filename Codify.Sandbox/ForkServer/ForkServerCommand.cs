using Codify.Contracts;
using Codify.Sandbox.Launch;
using Codify.Sandbox.Pool;

namespace Codify.Sandbox.ForkServer;

/// <summary>
/// The fork server's argv, after the launch wrapper (cgroup join, rlimits, seccomp filter on fd 3, see LaunchCommand):
/// a bootstrap that creates the user namespace whose uid map the host writes (a RANGE of host uids: bwrap maps only one),
/// then bwrap for the filesystem view every sandbox has, then python running forkserver.py + the warm pool's launcher.
/// </summary>
internal static class ForkServerCommand
{
    /// <summary>Where the host's control socket folder and the spool of program files are bound inside the server.</summary>
    public const string ControlDir = BubblewrapCommand.LauncherDir + "/control";

    public const string SpoolDir = BubblewrapCommand.LauncherDir + "/spool";

    /// <summary>Short names: a unix socket path must fit in 108 bytes, and the run root may be long.</summary>
    public const string ControlSocketName = "s";

    /// <summary>Written by the bootstrap once its user namespace exists; the host answers <see cref="MappedByte"/> once it wrote the maps.</summary>
    public const byte UnsharedByte = (byte)'u';

    public const byte MappedByte = (byte)'m';

    /// <summary>
    /// Runs as host root, single-threaded: unshare a user namespace, wait for the host to map the range, become its root (a
    /// process keeps capabilities across exec only as the namespace's root), exec bwrap. Nothing but this runs as host root.
    /// </summary>
    public const string Bootstrap = """
        import ctypes, os, sys
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(0x10000000) != 0:
            sys.exit(f"codify fork server: unshare(CLONE_NEWUSER) refused: {os.strerror(ctypes.get_errno())}")
        os.write(1, b"u")
        if os.read(0, 1) != b"m":
            sys.exit("codify fork server: the host did not map the user namespace")
        os.setgroups([])
        os.setresgid(0, 0, 0)
        os.setresuid(0, 0, 0)
        os.execv(sys.argv[1], sys.argv[1:])
        """;

    private static readonly string[] SourceFiles = ["forkserver_os.py", "forkserver_run.py", "forkserver.py"];

    public static string ServerSource { get; } = LoadSource();

    /// <summary>
    /// The warm pool's launcher, called through the server's finisher (forkserver.py, finish): both names are looked up
    /// before the launcher clears the module's globals for the program.
    /// </summary>
    public static string Launcher { get; } = WarmLaunchers.PythonLauncher.TrimEnd().EndsWith("\n_codify_launch()", StringComparison.Ordinal)
        ? WarmLaunchers.PythonLauncher.TrimEnd()[..^"_codify_launch()".Length] + "_codify_finish(_codify_launch)\n"
        : throw new InvalidOperationException("the warm launcher no longer ends in its call");

    public static IReadOnlyList<string> Build(
        IsolationOptions options, ForkServerOptions server, string passwdFile, string controlHostDir, string spoolHostDir, int slots)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(server);
        var python = Languages.Find("python")!;
        // The cold interpreter flags exactly (-E -s -u): forked runs inherit them, so sys.flags are a cold run's.
        var interpreter = BubblewrapCommand.InterpreterCommand(options, python, new ExecutionLimits(1000, 1000, 1 << 20, 1, 1, 1), python.FileName)[..^1];
        return
        [
            options.PythonPath, "-I", "-S", "-c", Bootstrap,
            options.BubblewrapPath,
            // The server's own namespaces; each run unshares its own again below these (and a user namespace of its own).
            "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session",
            // Root of its own user namespace only (the mapped range): it needs CAP_SETUID/CAP_SYS_ADMIN there to isolate runs.
            "--cap-add", "ALL",
            // bwrap makes the parents of binds 0700 for the server's own uid: /etc must stay searchable by the runs' uids.
            "--perms", "0755", "--dir", "/etc",
            .. BubblewrapCommand.View(options, passwdFile),
            // Searchable by the runs' uids: a child opens the spool before it hides the whole folder from its program.
            "--perms", "0755", "--dir", BubblewrapCommand.LauncherDir,
            "--ro-bind", controlHostDir, ControlDir,
            "--ro-bind", spoolHostDir, SpoolDir,
            "--chdir", BubblewrapCommand.WorkDir,
            "--",
            .. interpreter, "-c", ServerSource + "\n" + Launcher,
            server.Preload,
            options.TmpfsBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Per-user kernel counts roll up to the server's user namespace: each run gets its share (see forkserver.py).
            slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
    }

    /// <summary>
    /// One program in three files: the calls into the kernel, what runs in the children, then the server (which runs when
    /// the text is executed, so it comes last).
    /// </summary>
    private static string LoadSource() => string.Join("\n", SourceFiles.Select(name =>
    {
        using var stream = typeof(ForkServerCommand).Assembly.GetManifestResourceStream($"Codify.Sandbox.ForkServer.{name}")
            ?? throw new InvalidOperationException($"{name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }));
}
