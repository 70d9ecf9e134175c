using Codify.Sandbox.Seccomp;

namespace Codify.Tests.Sandbox.Seccomp;

/// <summary>The filter libseccomp generates, checked without running anything under it.</summary>
[SandboxTier]
public sealed class SeccompFilterTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"codify-seccomp-test-{Guid.NewGuid():N}");

    [Fact]
    public void Builds_a_bpf_program_of_whole_instructions()
    {
        using var filter = SeccompFilter.Build(_folder);

        var bpf = File.ReadAllBytes(filter.BpfPath);
        Assert.Equal(_folder, Path.GetDirectoryName(filter.BpfPath));
        Assert.NotEmpty(bpf);
        Assert.Equal(0, bpf.Length % 8);
        // First instructions: load seccomp_data.arch, compare with AUDIT_ARCH_X86_64 (the foreign-ABI guard).
        Assert.Equal(4u, BitConverter.ToUInt32(bpf, 4));
        Assert.Equal(0xc000003eu, BitConverter.ToUInt32(bpf, 12));
    }

    [Fact]
    public void The_bpf_file_is_readable_by_all_and_writable_only_by_its_owner()
    {
        using var filter = SeccompFilter.Build(_folder);

        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(filter.BpfPath));
    }

    [Fact]
    public void Denies_every_syscall_the_policy_requires()
    {
        string[] required =
        [
            "ptrace", "process_vm_readv", "process_vm_writev", "mount", "umount2", "pivot_root", "move_mount", "open_tree",
            "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "unshare", "setns", "keyctl", "add_key", "request_key",
            "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register", "init_module",
            "finit_module", "delete_module", "kexec_load", "kexec_file_load", "reboot", "swapon", "swapoff", "settimeofday",
            "clock_settime", "clock_adjtime", "adjtimex", "personality", "acct", "quotactl", "lookup_dcookie", "syslog",
            "vhangup", "nfsservctl", "uselib", "open_by_handle_at", "name_to_handle_at", "iopl", "ioperm", "create_module",
            "get_kernel_syms", "query_module", "sysfs", "_sysctl", "chroot",
        ];

        using var filter = SeccompFilter.Build(_folder);

        Assert.Empty(required.Except(filter.DeniedSyscalls));
    }

    [Fact]
    public void Only_syscalls_of_other_architectures_are_skipped()
    {
        using var filter = SeccompFilter.Build(_folder);

        // i386-only names: on x86_64 they have no number, so there is nothing to filter.
        Assert.Subset(new HashSet<string> { "umount", "stime", "vm86", "vm86old" }, filter.SkippedSyscalls.ToHashSet());
        Assert.Empty(filter.DeniedSyscalls.Intersect(filter.SkippedSyscalls));
    }

    [Fact]
    public void Every_build_writes_its_own_file_and_dispose_removes_it()
    {
        var first = SeccompFilter.Build(_folder);
        using var second = SeccompFilter.Build(_folder);

        Assert.NotEqual(first.BpfPath, second.BpfPath);
        Assert.Equal(File.ReadAllBytes(first.BpfPath), File.ReadAllBytes(second.BpfPath));
        first.Dispose();
        Assert.False(File.Exists(first.BpfPath));
        Assert.True(File.Exists(second.BpfPath));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
