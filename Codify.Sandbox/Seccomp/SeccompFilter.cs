namespace Codify.Sandbox.Seccomp;

/// <summary>
/// The seccomp-BPF program every sandboxed run gets, generated once at start-up with libseccomp and
/// written to a root-owned 0644 file. bwrap takes it as an open fd (<c>--seccomp FD</c>): open the file
/// fresh for every run, since a shared fd offset would leave the second bwrap reading nothing.
/// </summary>
public sealed partial class SeccompFilter : IDisposable
{
    private const UnixFileMode BpfFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite
        | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private SeccompFilter(string bpfPath, IReadOnlyList<string> denied, IReadOnlyList<string> skipped)
    {
        BpfPath = bpfPath;
        DeniedSyscalls = denied;
        SkippedSyscalls = skipped;
    }

    /// <summary>The BPF program (an array of 8-byte sock_filter instructions) to hand to bwrap.</summary>
    public string BpfPath { get; }

    /// <summary>Syscalls failing with EPERM whatever their arguments. clone is also denied when it asks for a namespace; clone3 fails with ENOSYS.</summary>
    public IReadOnlyList<string> DeniedSyscalls { get; }

    /// <summary>Policy names that are not syscalls on this architecture, so nothing was filtered for them.</summary>
    public IReadOnlyList<string> SkippedSyscalls { get; }

    /// <param name="directory">Where to write the BPF file; the temp folder when null.</param>
    /// <param name="logger">Told which policy names were skipped on this architecture.</param>
    /// <exception cref="SeccompException">libseccomp is missing or refused a step: run nothing.</exception>
    public static SeccompFilter Build(string? directory = null, ILogger? logger = null)
    {
        nint ctx;
        try
        {
            ctx = LibSeccomp.Init(LibSeccomp.ActAllow);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new SeccompException($"{LibSeccomp.Library} cannot be loaded (apt-get install libseccomp2): {e.Message}", e);
        }

        if (ctx == 0)
        {
            throw new SeccompException("seccomp_init failed");
        }

        try
        {
            // A syscall made through another ABI (i386 int 0x80, x32) has other numbers and would slip past every
            // rule: kill the whole process instead of the default (thread only), which could leave a half-dead program.
            Check(LibSeccomp.AttrSet(ctx, LibSeccomp.AttrActBadArch, LibSeccomp.ActKillProcess), "seccomp_attr_set(ACT_BADARCH)");
            var (denied, skipped) = AddDenials(ctx);
            AddCloneRules(ctx);
            var path = Export(ctx, directory ?? Path.GetTempPath());
            if (skipped.Count > 0 && logger is not null)
            {
                LogSkipped(logger, skipped);
            }

            return new SeccompFilter(path, denied, skipped);
        }
        finally
        {
            LibSeccomp.Release(ctx);
        }
    }

    private static (List<string> Denied, List<string> Skipped) AddDenials(nint ctx)
    {
        List<string> denied = [], skipped = [];
        foreach (var name in SeccompPolicy.DeniedSyscalls)
        {
            var nr = LibSeccomp.ResolveName(name);
            if (nr < 0)
            {
                skipped.Add(name);
                continue;
            }

            Check(LibSeccomp.RuleAddArray(ctx, LibSeccomp.ActErrno(SeccompPolicy.Eperm), nr, 0, null), $"seccomp_rule_add({name})");
            denied.Add(name);
        }

        return (denied, skipped);
    }

    private static void AddCloneRules(nint ctx)
    {
        var clone = Resolve("clone");
        foreach (var flag in SeccompPolicy.CloneNamespaceFlags)
        {
            // Creating namespaces through clone() is unshare by another name: same escape, same denial.
            var cmp = new LibSeccomp.ArgCmp { Arg = 0, Op = LibSeccomp.CmpMaskedEq, DatumA = flag, DatumB = flag };
            Check(LibSeccomp.RuleAddArray(ctx, LibSeccomp.ActErrno(SeccompPolicy.Eperm), clone, 1, [cmp]), $"seccomp_rule_add(clone, 0x{flag:x})");
        }

        // clone3 takes its flags in a struct that seccomp cannot read, so namespace flags there would go unseen.
        // ENOSYS (not EPERM) makes glibc fall back to clone(), whose flags are filtered above (as Docker and Flatpak do).
        Check(LibSeccomp.RuleAddArray(ctx, LibSeccomp.ActErrno(SeccompPolicy.Enosys), Resolve("clone3"), 0, null), "seccomp_rule_add(clone3)");
    }

    private static string Export(nint ctx, string directory)
    {
        Directory.CreateDirectory(directory);
        // A unique name opened with O_EXCL: a file or symlink planted at a predictable temp path cannot redirect the write.
        var path = Path.Combine(directory, $"codify-seccomp-{Environment.ProcessId}-{Guid.NewGuid():N}.bpf");
        using (var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = BpfFileMode,
        }))
        {
            Check(LibSeccomp.ExportBpf(ctx, (int)file.SafeFileHandle.DangerousGetHandle()), "seccomp_export_bpf");
        }

        // Readable by all, writable only by its owner (root): a run cannot alter the filter later runs load.
        File.SetUnixFileMode(path, BpfFileMode);
        var length = new FileInfo(path).Length;
        if (length == 0 || length % 8 != 0)
        {
            File.Delete(path);
            throw new SeccompException($"seccomp_export_bpf wrote {length} bytes, not a BPF program");
        }

        return path;
    }

    private static int Resolve(string name) =>
        LibSeccomp.ResolveName(name) is var nr and >= 0 ? nr : throw new SeccompException($"syscall {name} is unknown to libseccomp");

    private static void Check(int rc, string step)
    {
        if (rc < 0)
        {
            throw new SeccompException($"{step} failed: errno {-rc}");
        }
    }

    public void Dispose() => File.Delete(BpfPath);

    [LoggerMessage(Level = LogLevel.Information, Message = "seccomp: not syscalls on this architecture, nothing to filter: {Names}")]
    private static partial void LogSkipped(ILogger logger, IReadOnlyList<string> names);
}
