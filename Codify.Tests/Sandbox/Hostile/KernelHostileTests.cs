using System.Diagnostics;
using System.Globalization;
using Codify.Contracts;

namespace Codify.Tests.Sandbox.Hostile;

/// <summary>
/// Attacks on the kernel and on other processes: the seccomp filter answers EPERM, signals cannot leave the run's pid
/// namespace, and neither the cgroup nor the rlimits can be escaped from inside.
/// </summary>
[SandboxTier]
public class KernelHostileTests(SandboxRunnerFixture sandbox) : IClassFixture<SandboxRunnerFixture>
{
    private static readonly ExecutionLimits Limits = SandboxRunnerFixture.Limits(wallMs: 10_000);

    private const string SyscallProgram = """
        import ctypes, errno, os
        libc = ctypes.CDLL(None, use_errno=True)
        NR = {
            'x86_64': {'keyctl': 250, 'bpf': 321, 'io_uring_setup': 425, 'perf_event_open': 298, 'syslog': 103,
                       'finit_module': 313, 'userfaultfd': 323},
            'aarch64': {'keyctl': 219, 'bpf': 280, 'io_uring_setup': 425, 'perf_event_open': 241, 'syslog': 116,
                        'finit_module': 273, 'userfaultfd': 282},
        }[os.uname().machine]

        def syscall(name, *args):
            return libc.syscall(NR[name], *args)

        try:
            result = @CALL@
            err = ctypes.get_errno()
        except OSError as e:
            result, err = 'raised', e.errno
        print(result, errno.errorcode.get(err, err))
        """;

    [Theory]
    [InlineData("ptrace attach to pid 1", "libc.ptrace(16, 1, None, None)")]
    [InlineData("mount a tmpfs", "libc.mount(b'none', b'/box', b'tmpfs', 0, None)")]
    [InlineData("unshare a user namespace", "libc.unshare(0x10000000)")]
    [InlineData("unshare a mount namespace", "libc.unshare(0x00020000)")]
    [InlineData("setns into pid 1's user namespace", "libc.setns(os.open('/proc/1/ns/user', os.O_RDONLY), 0)")]
    [InlineData("chroot", "libc.chroot(b'/tmp')")]
    [InlineData("keyctl on the session keyring", "syscall('keyctl', 0, -3, 0)")]
    [InlineData("bpf", "syscall('bpf', 0, ctypes.create_string_buffer(128), 128)")]
    [InlineData("io_uring_setup", "syscall('io_uring_setup', 8, ctypes.create_string_buffer(120))")]
    [InlineData("perf_event_open", "syscall('perf_event_open', ctypes.create_string_buffer(128), 0, -1, -1, 0)")]
    [InlineData("syslog read (dmesg)", "syscall('syslog', 3, ctypes.create_string_buffer(4096), 4096)")]
    [InlineData("finit_module", "syscall('finit_module', 0, b'', 0)")]
    [InlineData("userfaultfd", "syscall('userfaultfd', 0)")]
    public async Task A_dangerous_syscall_fails_with_EPERM(string attack, string call)
    {
        var run = await sandbox.RunHostileAsync("python", SyscallProgram.Replace("@CALL@", call, StringComparison.Ordinal), Limits);

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        Assert.True(run.Result.Stdout == "-1 EPERM\n", $"{attack}: {run.Result.Stdout} {run.Result.Stderr}");
        await sandbox.AssertHostUntouchedAsync(run);
    }

    /// <summary>
    /// clone() can create namespaces too: the filter matches its flag register. clone3() passes flags in memory, where
    /// seccomp cannot look, so it is refused outright (ENOSYS, which makes libc fall back to clone()).
    /// </summary>
    [Fact]
    public async Task Clone_and_clone3_cannot_create_namespaces()
    {
        const string code = """
            import ctypes, errno, os, struct
            libc = ctypes.CDLL(None, use_errno=True)
            CLONE, CLONE3 = {'x86_64': (56, 435), 'aarch64': (220, 435)}[os.uname().machine]
            SIGCHLD = 17
            flags = {'user': 0x10000000, 'mount': 0x00020000, 'pid': 0x20000000, 'net': 0x40000000,
                     'ipc': 0x08000000, 'uts': 0x04000000, 'cgroup': 0x02000000}

            def report(label, pid):
                err = ctypes.get_errno()
                if pid == 0:
                    os._exit(0)
                if pid > 0:
                    os.waitpid(pid, 0)
                    print(label, 'created')
                else:
                    print(label, errno.errorcode.get(err, err))

            for name, flag in flags.items():
                report(f'clone-{name}', libc.syscall(CLONE, flag | SIGCHLD, None, None, None, None))
            for name, flag in {**flags, 'none': 0}.items():
                args = ctypes.create_string_buffer(struct.pack('8Q', flag, 0, 0, 0, SIGCHLD, 0, 0, 0), 64)
                report(f'clone3-{name}', libc.syscall(CLONE3, args, 64))
            """;

        var run = await sandbox.RunHostileAsync("python", code, Limits);

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        var outcomes = run.Result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();
        Assert.Equal(15, outcomes.Count);
        Assert.All(outcomes.Where(o => o[0].StartsWith("clone-", StringComparison.Ordinal)), o => Assert.Equal("EPERM", o[1]));
        Assert.All(outcomes.Where(o => o[0].StartsWith("clone3-", StringComparison.Ordinal)), o => Assert.Equal("ENOSYS", o[1]));
        await sandbox.AssertHostUntouchedAsync(run);
    }

    private const string PythonKillEverything = """
        import errno, os, signal, subprocess
        child = subprocess.Popen(['@MARKER@-victim', '300'], executable='sleep')
        for pid in [@PIDS@]:
            try:
                os.kill(pid, signal.SIGKILL)
                print('host killed')
            except OSError as e:
                print('host', errno.errorcode[e.errno])
        # Every process it may signal, except itself and its namespace's init.
        os.kill(-1, signal.SIGKILL)
        print('child', child.wait())
        """;

    private const string NodeKillEverything = """
        const { spawn } = require('child_process');
        const child = spawn('sleep', ['300'], { argv0: '@MARKER@-victim' });
        child.on('exit', (code, signal) => console.log('child', signal));
        child.on('spawn', () => {
          for (const pid of [@PIDS@]) {
            try { process.kill(pid, 'SIGKILL'); console.log('host killed'); } catch (e) { console.log('host', e.code); }
          }
          process.kill(-1, 'SIGKILL');
        });
        """;

    [Theory]
    [InlineData("python", "child -9")]
    [InlineData("javascript", "child SIGKILL")]
    public virtual async Task Kill_minus_one_and_host_pids_reach_no_host_process(string language, string childDied)
    {
        var hostMarker = $"codify-host-victim-{Guid.NewGuid():N}";
        using var asRoot = StartHostSleeper([], hostMarker);
        using var asSandboxUid = StartHostSleeper(
            ["/usr/bin/setpriv", $"--reuid={sandbox.Options.RunAsUid}", $"--regid={sandbox.Options.RunAsGid}", "--clear-groups", "--"], hostMarker);
        try
        {
            var pids = $"{asRoot.Id}, {asSandboxUid.Id}";
            var code = (language == "python" ? PythonKillEverything : NodeKillEverything).Replace("@PIDS@", pids, StringComparison.Ordinal);

            var run = await sandbox.RunHostileAsync(language, code, Limits);

            Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
            // Host pids do not exist in the run's pid namespace; kill(-1) killed the program's own child only.
            Assert.Equal($"host ESRCH\nhost ESRCH\n{childDied}\n", run.Result.Stdout);
            Assert.True(HostChecks.IsAlive(asRoot.Id), "the host root process died");
            Assert.True(HostChecks.IsAlive(asSandboxUid.Id), "the host process running as the sandbox uid died");
            Assert.Equal(sandbox.Options.RunAsUid.ToString(CultureInfo.InvariantCulture), UidOf(asSandboxUid.Id));
            await sandbox.AssertHostUntouchedAsync(run);
        }
        finally
        {
            asRoot.Kill();
            asSandboxUid.Kill();
        }
    }

    [Fact]
    public async Task The_cgroup_and_the_rlimits_cannot_be_escaped_or_raised()
    {
        const string code = """
            import errno, os, resource

            def attempt(label, action):
                try:
                    action()
                    print(label, 'ok')
                except (OSError, ValueError) as e:
                    print(label, errno.errorcode.get(getattr(e, 'errno', None), type(e).__name__))

            def join_root_cgroup():
                with open('/sys/fs/cgroup/pids/cgroup.procs', 'w') as f:
                    f.write(str(os.getpid()))

            print('cgroup', sorted({l.split(':', 2)[2] for l in open('/proc/self/cgroup').read().splitlines()}))
            attempt('join-root-cgroup', join_root_cgroup)
            attempt('raise-nofile', lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (100000, 100000)))
            attempt('raise-fsize', lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY)))
            attempt('raise-cpu', lambda: resource.setrlimit(resource.RLIMIT_CPU, (resource.RLIM_INFINITY, resource.RLIM_INFINITY)))
            attempt('raise-core', lambda: resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY)))
            attempt('renice-up', lambda: os.nice(-5))
            attempt('write-core-pattern', lambda: os.open('/proc/sys/kernel/core_pattern', os.O_WRONLY))
            attempt('read-kmsg', lambda: os.read(os.open('/proc/kmsg', os.O_RDONLY | os.O_NONBLOCK), 1))
            attempt('read-kcore', lambda: os.read(os.open('/proc/kcore', os.O_RDONLY), 1))
            """;

        var run = await sandbox.RunHostileAsync("python", code, Limits);

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        var lines = run.Result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // A cgroup namespace: the run's cgroup is the root of its view, and there is no cgroupfs to write to.
        Assert.Equal("cgroup ['/']", lines[0]);
        Assert.All(lines.Skip(1), line => Assert.DoesNotContain(" ok", line, StringComparison.Ordinal));
        Assert.Equal(10, lines.Length);
        await sandbox.AssertHostUntouchedAsync(run);
    }

    private static Process StartHostSleeper(string[] prefix, string marker)
    {
        string[] argv = [.. prefix, "/usr/bin/python3", "-I", "-S", "-c", "import time; time.sleep(300)", marker];
        var start = new ProcessStartInfo(argv[0]) { UseShellExecute = false };
        foreach (var arg in argv.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        // Wait until setpriv has exec'ed python, so the uid check sees the final process.
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(5); Thread.Sleep(10))
        {
            if (File.ReadAllText($"/proc/{process.Id}/cmdline").StartsWith("/usr/bin/python3", StringComparison.Ordinal))
            {
                break;
            }
        }

        return process;
    }

    private static string UidOf(int pid) =>
        File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t')[1];
}
