namespace Codify.Sandbox.Seccomp;

/// <summary>
/// What the sandboxed program may not do, whatever bubblewrap's namespaces and dropped capabilities
/// already prevent: a second wall, so one kernel bug or one missed flag does not open the host.
/// Everything else is allowed: python, node, numpy, threads and subprocesses must keep working.
/// </summary>
internal static class SeccompPolicy
{
    public const int Eperm = 1;

    public const int Enosys = 38;

    /// <summary>Denied with EPERM whatever their arguments. Names unknown on the build arch are skipped.</summary>
    public static IReadOnlyList<string> DeniedSyscalls { get; } =
    [
        // Reading or writing another process's memory and registers: hijacking or hanging the sandbox's pid 1.
        "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "process_madvise", "kcmp",
        // Remounting or re-rooting the filesystem view: un-hiding host paths, making read-only binds writable.
        "mount", "umount", "umount2", "pivot_root", "chroot",
        "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
        // Entering or creating namespaces: a fresh user namespace hands out capabilities to exploit the kernel with.
        "unshare", "setns",
        // Kernel keyrings are not namespaced: reading or planting keys of other host users, a long CVE history.
        "keyctl", "add_key", "request_key",
        // In-kernel programs and profiling: kernel memory disclosure and verifier/perf exploits.
        "bpf", "perf_event_open",
        // userfaultfd stalls kernel page faults at will, the classic way to win race-condition exploits.
        "userfaultfd",
        // io_uring performs syscalls outside this filter's sight and is a frequent source of kernel CVEs.
        "io_uring_setup", "io_uring_enter", "io_uring_register",
        // Loading kernel code or replacing the kernel: full host compromise.
        "init_module", "finit_module", "delete_module", "create_module", "kexec_load", "kexec_file_load",
        // Host-wide state: rebooting, swap, the system clock, process accounting, quotas.
        "reboot", "swapon", "swapoff", "acct", "quotactl", "quotactl_fd",
        "settimeofday", "stime", "clock_settime", "clock_adjtime", "adjtimex",
        // personality can turn off ASLR or make data executable (READ_IMPLIES_EXEC); python and node never call it.
        "personality",
        // Reading the kernel log: kernel addresses that defeat KASLR.
        "syslog",
        // File handles bypass path lookup: open_by_handle_at was the "shocker" container escape.
        "open_by_handle_at", "name_to_handle_at",
        // Direct I/O port access and vm86 mode: raw hardware access from user space.
        "iopl", "ioperm", "vm86", "vm86old",
        // Obsolete interfaces nobody needs, kept only as attack surface.
        "vhangup", "nfsservctl", "uselib", "lookup_dcookie", "get_kernel_syms", "query_module", "sysfs", "_sysctl",
    ];

    /// <summary>
    /// clone() flags that create namespaces (sched.h). clone passes its flags in a register, so each is matched
    /// with SCMP_CMP_MASKED_EQ. CLONE_NEWTIME (0x80) is absent: in clone() that bit is the exit signal.
    /// </summary>
    public static IReadOnlyList<ulong> CloneNamespaceFlags { get; } =
    [
        0x00020000, // CLONE_NEWNS
        0x02000000, // CLONE_NEWCGROUP
        0x04000000, // CLONE_NEWUTS
        0x08000000, // CLONE_NEWIPC
        0x10000000, // CLONE_NEWUSER
        0x20000000, // CLONE_NEWPID
        0x40000000, // CLONE_NEWNET
    ];
}
