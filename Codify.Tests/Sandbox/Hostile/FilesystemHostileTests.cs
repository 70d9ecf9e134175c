using System.Security.Cryptography;
using Codify.Contracts;

namespace Codify.Tests.Sandbox.Hostile;

/// <summary>
/// Filling the writable mounts, writing huge files, exhausting inodes and descriptors, and planting symlinks: the program
/// meets its own limits (ENOSPC, EFBIG, EMFILE), and nothing reaches or stays on the host.
/// </summary>
[SandboxTier]
public class FilesystemHostileTests(SandboxRunnerFixture sandbox) : IClassFixture<SandboxRunnerFixture>
{
    private static readonly ExecutionLimits Limits = SandboxRunnerFixture.Limits(wallMs: 10_000);

    private const string PythonFill = """
        import errno
        written, i = 0, 0
        try:
            while True:
                # 512 KiB files: each stays under the 1 MiB file-size limit, so only the mount's size can stop this.
                with open(f'@DIR@/@MARKER@-fill-{i}', 'wb') as f:
                    for _ in range(8):
                        f.write(b'x' * 65536)
                        f.flush()
                        written += 65536
                i += 1
        except OSError as e:
            print(errno.errorcode[e.errno], written >> 20)
        """;

    private const string NodeFill = """
        const fs = require('fs');
        const chunk = Buffer.alloc(65536, 120);
        let written = 0;
        try {
          for (let i = 0; ; i++) {
            const fd = fs.openSync(`@DIR@/@MARKER@-fill-${i}`, 'w');
            for (let j = 0; j < 8; j++) { fs.writeSync(fd, chunk); written += chunk.length; }
            fs.closeSync(fd);
          }
        } catch (e) {
          console.log(e.code, written >> 20);
        }
        """;

    [Theory]
    [InlineData("python", "/tmp")]
    [InlineData("python", "/dev/shm")]
    [InlineData("python", "/box")]
    [InlineData("javascript", "/tmp")]
    public async Task Filling_a_writable_mount_ends_in_ENOSPC_at_its_size_cap_and_frees_on_exit(string language, string dir)
    {
        var shmemBefore = HostChecks.HostUnmappedShmemBytes();
        var code = (language == "python" ? PythonFill : NodeFill).Replace("@DIR@", dir, StringComparison.Ordinal);

        var run = await sandbox.RunHostileAsync(language, code, Limits);

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        var parts = run.Result.Stdout.Split(' ');
        Assert.Equal("ENOSPC", parts[0]);
        // The mount's cap (IsolationOptions.TmpfsBytes, 64 MiB), not the host's disk or RAM, stopped it.
        Assert.InRange(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), 60, sandbox.Options.TmpfsBytes >> 20);
        // The 64 MiB lived in a tmpfs of the run's mount namespace: gone with it (other runs may write a little meanwhile).
        var shmemAfter = await HostChecks.WaitForHostShmemAsync(shmemBefore + (16L << 20), TimeSpan.FromSeconds(5));
        // A difference of two host-wide figures, not a size: it may be below zero (seen at -400 MiB with a second suite running).
        Assert.True(shmemAfter <= shmemBefore + (16L << 20), $"unmapped shared memory {shmemBefore >> 20} MiB before, {shmemAfter >> 20} MiB after");
        await sandbox.AssertHostUntouchedAsync(run);
    }

    [Theory]
    [InlineData("python", """
        import errno
        n = 0
        try:
            with open('/tmp/@MARKER@-big', 'wb') as f:
                while True:
                    f.write(b'x' * 4096)
                    f.flush()
                    n += 4096
        except OSError as e:
            print(errno.errorcode[e.errno], n)
        """)]
    [InlineData("javascript", """
        const fs = require('fs');
        const fd = fs.openSync('/box/@MARKER@-big', 'w');
        let n = 0;
        try {
          for (;;) { fs.writeSync(fd, Buffer.alloc(4096, 120)); n += 4096; }
        } catch (e) {
          console.log(e.code, n);
        }
        """)]
    public async Task One_file_past_the_file_size_limit_gets_EFBIG_at_the_limit(string language, string code)
    {
        // python and node ignore SIGXFSZ, so the write fails with EFBIG instead of killing them.
        var run = await sandbox.RunHostileAsync(language, code, Limits);

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        Assert.Equal($"EFBIG {Limits.FileSizeBytes}\n", run.Result.Stdout);
        await sandbox.AssertHostUntouchedAsync(run);
    }

    [Fact]
    public async Task A_shell_writing_past_the_file_size_limit_is_killed_by_SIGXFSZ()
    {
        const string code = """
            import subprocess
            r = subprocess.run(['sh', '-c', 'head -c 3000000 /dev/zero > /dev/shm/@MARKER@-big'])
            print(r.returncode)
            """;

        var run = await sandbox.RunHostileAsync("python", code, Limits);

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        // head dies of SIGXFSZ (25); sh reports it as 128 + 25.
        Assert.Equal("153\n", run.Result.Stdout);
        await sandbox.AssertHostUntouchedAsync(run);
    }

    /// <summary>
    /// The tmpfs mounts cap bytes, not inodes (bwrap's --size sets only size=); empty files cost no bytes. What stops this
    /// program is the kernel memory of its inodes and dentries, charged to the run's memory cgroup: memory_limit_exceeded,
    /// well within the wall limit, or ENOSPC should a tmpfs ever get an inode cap.
    /// </summary>
    [Fact]
    public async Task Inode_exhaustion_in_tmpfs_ends_within_the_wall_limit()
    {
        const string code = """
            import errno, os
            n = 0
            try:
                while True:
                    os.close(os.open(f'/tmp/@MARKER@-{n}', os.O_CREAT | os.O_WRONLY))
                    n += 1
            except OSError as e:
                print(errno.errorcode[e.errno], n)
            """;
        var limits = SandboxRunnerFixture.Limits(wallMs: 30_000) with { MemoryBytes = 64L << 20 };

        var run = await sandbox.RunHostileAsync("python", code, limits);

        Assert.True(
            run.Result.Status == ExecutionStatus.MemoryLimitExceeded
            || (run.Result.Status == ExecutionStatus.Completed && run.Result.Stdout.StartsWith("ENOSPC ", StringComparison.Ordinal)),
            $"{run.Result.Status.ToWire()}: {run.Result.Stdout} {run.Result.Stderr}");
        Assert.InRange(run.Result.WallTimeMs, 0, limits.WallTimeMs - 1);
        Assert.InRange(run.Result.MemoryPeakBytes ?? 0, 1, limits.MemoryBytes + (1L << 20));
        await sandbox.AssertHostUntouchedAsync(run);
    }

    [Theory]
    [InlineData("python", """
        import errno, os
        fds = []
        try:
            while True:
                fds.append(os.open('/dev/null', os.O_RDONLY))
        except OSError as e:
            print(errno.errorcode[e.errno], len(fds), max(fds))
        """)]
    [InlineData("javascript", """
        const fs = require('fs');
        const fds = [];
        try {
          for (;;) fds.push(fs.openSync('/dev/null', 'r'));
        } catch (e) {
          console.log(e.code, fds.length, Math.max(...fds));
        }
        """)]
    public async Task Opening_files_forever_gets_EMFILE_at_256_descriptors(string language, string code)
    {
        var run = await sandbox.RunHostileAsync(language, code, Limits);

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        var parts = run.Result.Stdout.Trim().Split(' ');
        Assert.Equal("EMFILE", parts[0]);
        // The interpreter holds a few descriptors itself; the highest one the program got is the last below RLIMIT_NOFILE.
        Assert.InRange(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), 200, 256);
        Assert.Equal("255", parts[2]);
        await sandbox.AssertHostUntouchedAsync(run);
    }

    [Fact]
    public async Task Symlinks_and_dotdot_paths_never_reach_host_files()
    {
        var hostDir = Directory.CreateTempSubdirectory("codify-hostile-host-");
        try
        {
            var target = Path.Combine(hostDir.FullName, "target.txt");
            await File.WriteAllTextAsync(target, "host content");
            var targetWritten = File.GetLastWriteTimeUtc(target);
            var shadowBefore = Fingerprint("/etc/shadow");
            var code = SymlinkAttack.Replace("@HOSTDIR@", hostDir.FullName, StringComparison.Ordinal);

            var run = await sandbox.RunHostileAsync("python", code, Limits);

            Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
            var outcomes = run.Result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split(' ', 2)).ToDictionary(p => p[0], p => p[1]);
            // Inside its own /tmp the program may do as it likes; every path aimed at the host finds nothing there.
            Assert.Equal("ok", outcomes["tmp-dotdot-stays-inside"]);
            Assert.All(outcomes.Where(o => o.Key.StartsWith("host-", StringComparison.Ordinal)),
                o => Assert.True(o.Value is "ENOENT", $"{o.Key}: {o.Value}"));
            // Its own program file and the synthetic passwd are read-only binds.
            // A session's cell is no file: /box/main.py is then just a name in the session's own work dir.
            Assert.All(outcomes.Where(o => o.Key.StartsWith("bind-", StringComparison.Ordinal) && (sandbox.ProgramIsAFile || !o.Key.StartsWith("bind-program-", StringComparison.Ordinal))),
                o => Assert.True(o.Value is "EROFS" or "EBUSY" or "EACCES" or "EPERM", $"{o.Key}: {o.Value}"));
            Assert.Equal("host content", await File.ReadAllTextAsync(target));
            Assert.Equal(targetWritten, File.GetLastWriteTimeUtc(target));
            Assert.Equal([target], Directory.GetFileSystemEntries(hostDir.FullName));
            Assert.Equal(shadowBefore, Fingerprint("/etc/shadow"));
            await sandbox.AssertHostUntouchedAsync(run);
        }
        finally
        {
            hostDir.Delete(recursive: true);
        }
    }

    private const string SymlinkAttack = """
        import errno, os
        host_dir = '@HOSTDIR@'
        target = host_dir + '/target.txt'

        def attempt(label, action):
            try:
                action()
                print(label, 'ok')
            except OSError as e:
                print(label, errno.errorcode[e.errno])

        def write(path):
            with open(path, 'w') as f:
                f.write('pwned')

        attempt('host-read-direct', lambda: open(target).read())
        attempt('host-write-direct', lambda: write(target))
        for d in ['/tmp', '/box', '/dev/shm']:
            name = d.replace('/', '_')
            os.symlink(target, f'{d}/@MARKER@-to-target')
            os.symlink('/etc/shadow', f'{d}/@MARKER@-to-shadow')
            os.symlink(host_dir, f'{d}/@MARKER@-to-dir')
            os.symlink('/', f'{d}/@MARKER@-to-root')
            attempt(f'host-write-via-link{name}', lambda: write(f'{d}/@MARKER@-to-target'))
            attempt(f'host-plant-via-dir-link{name}', lambda: write(f'{d}/@MARKER@-to-dir/@MARKER@-planted'))
            attempt(f'host-shadow-via-link{name}', lambda: open(f'{d}/@MARKER@-to-shadow').read())
            attempt(f'host-root-link{name}', lambda: write(f'{d}/@MARKER@-to-root/..{target}'))
        attempt('host-dotdot', lambda: write('/tmp/../../..' + target))
        attempt('host-proc-root', lambda: write('/proc/1/root' + target))
        attempt('host-proc-cwd', lambda: write('/proc/self/cwd/../..' + host_dir + '/@MARKER@-planted'))
        attempt('tmp-dotdot-stays-inside', lambda: write('/tmp/../tmp/../../tmp/@MARKER@-dotdot'))
        attempt('bind-program-append', lambda: write('/box/main.py'))
        attempt('bind-program-unlink', lambda: os.unlink('/box/main.py'))
        attempt('bind-program-rename', lambda: os.rename('/box/main.py', '/box/@MARKER@-moved.py'))
        attempt('bind-passwd-append', lambda: open('/etc/passwd', 'a').write('evil::0:0::/:/bin/sh\n'))
        """;

    private static string Fingerprint(string path) =>
        $"{Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))} {File.GetLastWriteTimeUtc(path):O}";
}
