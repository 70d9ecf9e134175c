using System.Runtime.InteropServices;

namespace Codify.Sandbox.Seccomp;

/// <summary>
/// The few libseccomp 2.5 entry points the filter needs. Only the runtime library (libseccomp.so.2) is
/// installed on the hosts, not the headers, so the constants below mirror seccomp.h.
/// </summary>
internal static partial class LibSeccomp
{
    public const string Library = "libseccomp.so.2";

    public const uint ActAllow = 0x7fff0000;

    public const uint ActKillProcess = 0x80000000;

    /// <summary>enum scmp_filter_attr: SCMP_FLTATR_ACT_BADARCH.</summary>
    public const int AttrActBadArch = 2;

    /// <summary>enum scmp_compare: SCMP_CMP_MASKED_EQ, (arg &amp; datum_a) == datum_b.</summary>
    public const int CmpMaskedEq = 7;

    /// <summary>SCMP_ACT_ERRNO(errno): fail the call with that errno instead of running it.</summary>
    public static uint ActErrno(int errno) => 0x00050000u | ((uint)errno & 0x0000ffffu);

    /// <summary>struct scmp_arg_cmp.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ArgCmp
    {
        public uint Arg;
        public int Op;
        public ulong DatumA;
        public ulong DatumB;
    }

    [LibraryImport(Library, EntryPoint = "seccomp_init")]
    public static partial nint Init(uint defaultAction);

    [LibraryImport(Library, EntryPoint = "seccomp_release")]
    public static partial void Release(nint ctx);

    [LibraryImport(Library, EntryPoint = "seccomp_attr_set")]
    public static partial int AttrSet(nint ctx, int attribute, ulong value);

    /// <returns>The syscall number on the native arch; negative when the name is unknown or not a syscall of this arch.</returns>
    [LibraryImport(Library, EntryPoint = "seccomp_syscall_resolve_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ResolveName(string name);

    /// <remarks>The array form: seccomp_rule_add is variadic, which P/Invoke cannot call portably.</remarks>
    [LibraryImport(Library, EntryPoint = "seccomp_rule_add_array")]
    public static partial int RuleAddArray(nint ctx, uint action, int syscall, uint argCount, [In] ArgCmp[]? args);

    [LibraryImport(Library, EntryPoint = "seccomp_export_bpf")]
    public static partial int ExportBpf(nint ctx, int fd);
}
