using System.Runtime.InteropServices;
using System.Text.Json;
using Codify.Contracts;

namespace Codify.Tests.Sandbox.Hostile;

/// <summary>Nothing of the host is readable from inside: its files, its processes, the service's environment and mounts.</summary>
[SandboxTier]
public class HostSecretsHostileTests(SandboxRunnerFixture sandbox) : IClassFixture<SandboxRunnerFixture>
{
    private static readonly ExecutionLimits Limits = SandboxRunnerFixture.Limits(wallMs: 10_000);

    [Fact]
    public async Task Host_files_and_the_apps_own_files_do_not_exist_inside()
    {
        string[] candidates =
        [
            "/etc/shadow", "/etc/gshadow", "/etc/ssh", "/etc/hostname", "/root", "/home", "/work", "/var", "/srv", "/opt", "/run",
            "/sys", AppContext.BaseDirectory, Environment.CurrentDirectory, sandbox.Options.RunRoot, typeof(HostChecks).Assembly.Location,
        ];
        // Only paths that exist on the host prove anything; the secrets and the app's own files must be among them.
        var hostPaths = candidates.Where(Path.Exists).ToArray();
        Assert.Subset(hostPaths.ToHashSet(), new HashSet<string> { "/etc/shadow", "/root", "/work", AppContext.BaseDirectory, sandbox.Options.RunRoot });
        var code = $$"""
            import json, os
            paths = json.loads('{{JsonSerializer.Serialize(hostPaths)}}')
            print(json.dumps({p: os.path.lexists(p) for p in paths}))
            print(open('/etc/passwd').read(), end='')
            """;

        var run = await sandbox.RunHostileAsync("python", code, Limits);

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        var lines = run.Result.Stdout.Split('\n', 2);
        var visible = JsonSerializer.Deserialize<Dictionary<string, bool>>(lines[0])!;
        Assert.True(visible.Values.All(v => !v), $"visible inside: {string.Join(", ", visible.Where(v => v.Value).Select(v => v.Key))}");
        // The synthetic passwd: no host accounts.
        Assert.Equal(["root", "nobody"], lines[1].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(':')[0]));
        await sandbox.AssertHostUntouchedAsync(run);
    }

    [Fact]
    public async Task A_secret_in_the_services_environment_is_nowhere_inside()
    {
        var name = $"CODIFY_HOSTILE_SECRET_{Guid.NewGuid():N}";
        var secret = $"secret-{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, secret);
        try
        {
            var code = """
                import os
                needles = [b'@NAME@', b'@SECRET@']
                hits = [k for k, v in os.environ.items() if any(n.decode() in k + v for n in needles)]
                for pid in filter(str.isdigit, os.listdir('/proc')):
                    for f in ['environ', 'cmdline']:
                        try:
                            if any(n in open(f'/proc/{pid}/{f}', 'rb').read() for n in needles):
                                hits.append(f'/proc/{pid}/{f}')
                        except OSError:
                            pass
                print('hits', hits)
                print('pid1-environ', repr(open('/proc/1/environ', 'rb').read()))
                print('env', sorted(os.environ))
                """.Replace("@NAME@", name, StringComparison.Ordinal).Replace("@SECRET@", secret, StringComparison.Ordinal);

            var run = await sandbox.RunHostileAsync("python", code, Limits);

            Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
            // A forked run's pid 1 is a fork of the fork server, which started with exactly the run's clean environment
            // (docs/fork-server.md); bwrap's pid 1 starts from an empty one. Neither holds anything of the service's.
            var pid1 = sandbox.ForkServer is null ? "b''" : "b'PATH=/usr/local/bin:/usr/bin:/bin\\x00HOME=/box\\x00LANG=C.UTF-8\\x00MPLBACKEND=Agg\\x00PWD=/box\\x00'";
            Assert.Equal(
                $"hits []\npid1-environ {pid1}\nenv ['HOME', 'LANG', 'MPLBACKEND', 'PATH', 'PWD']\n",
                run.Result.Stdout);
            await sandbox.AssertHostUntouchedAsync(run);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public async Task Node_sees_only_the_variables_the_sandbox_sets()
    {
        Environment.SetEnvironmentVariable("CODIFY_HOSTILE_NODE_SECRET", "must-not-leak");
        try
        {
            var run = await sandbox.RunHostileAsync("javascript", "console.log(JSON.stringify(process.env));", Limits);

            Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
            var env = JsonSerializer.Deserialize<Dictionary<string, string>>(run.Result.Stdout)!;
            // bwrap's --setenv ones, plus PWD which bwrap sets to the --chdir folder.
            Assert.Equal(
                new Dictionary<string, string>
                {
                    ["HOME"] = "/box",
                    ["LANG"] = "C.UTF-8",
                    ["MPLBACKEND"] = "Agg",
                    ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
                    ["PWD"] = "/box",
                },
                env);
            await sandbox.AssertHostUntouchedAsync(run);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CODIFY_HOSTILE_NODE_SECRET", null);
        }
    }

    [Fact]
    public async Task Mounts_show_no_host_folder_but_the_read_only_system_binds_and_the_runs_own_files()
    {
        const string code = "print(open('/proc/self/mountinfo').read(), end='')";

        var run = await sandbox.RunHostileAsync("python", code, Limits);

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        var mounts = run.Result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToList();
        Assert.NotEmpty(mounts);
        Assert.DoesNotContain(mounts, m => m[3].StartsWith("/work", StringComparison.Ordinal) || m[3].StartsWith("/root", StringComparison.Ordinal)
            || m[3].StartsWith("/home", StringComparison.Ordinal) || m[4] is "/work" or "/root" or "/home");
        // Every bind of a host path is read-only and one of: /usr, a few /etc files, the run's program and passwd. The one
        // exception is a python sandbox's capture channel (Capture/): a single file of the run's own folder, writable.
        var hostBinds = mounts.Where(m => m[3] != "/" && !m[4].StartsWith("/dev/", StringComparison.Ordinal) && m[3] != "/newroot").ToList();
        Assert.All(hostBinds, m =>
        {
            Assert.StartsWith(m[4] == "/.codify/capture.out" ? "rw," : "ro,", m[5] + ",", StringComparison.Ordinal);
            Assert.True(m[3] == "/usr" || m[3].StartsWith("/etc/", StringComparison.Ordinal)
                || m[3].StartsWith($"{sandbox.Options.RunRoot}/{run.Marker}-", StringComparison.Ordinal)
                || m[3].StartsWith($"{sandbox.Options.RunRoot}/session-{run.Marker}-", StringComparison.Ordinal)
                // A forked run's mount namespace is a copy of its fork server's: the server's own read-only binds (its passwd,
                // control folder and spool) are listed, covered by the run's own mounts (docs/fork-server.md).
                || (sandbox.ForkServer is not null && m[3].StartsWith($"{sandbox.Options.RunRoot}/fs-", StringComparison.Ordinal)), string.Join(' ', m));
        });
        await sandbox.AssertHostUntouchedAsync(run);
    }

    [Fact]
    public async Task No_host_process_is_visible()
    {
        const string code = """
            import os
            for pid in sorted(filter(str.isdigit, os.listdir('/proc')), key=int):
                try:
                    print(pid, open(f'/proc/{pid}/cmdline', 'rb').read().split(b'\0')[0].decode())
                except OSError:
                    pass
            """;

        var run = await sandbox.RunHostileAsync("python", code, Limits);

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        // bwrap as the namespace's init and the program itself: nothing of the host, no other run.
        Assert.Equal("1 /usr/bin/bwrap\n2 /usr/bin/python3\n", run.Result.Stdout);
        await sandbox.AssertHostUntouchedAsync(run);
    }

    /// <summary>
    /// Descriptors the service holds without close-on-exec (inherited from whatever started it, or opened by native
    /// code) must not reach the program: through one it could read a host file or write into a host pipe or socket,
    /// whatever the namespaces. The test plants one: a host file it dup()s, which clears close-on-exec.
    /// </summary>
    [Fact]
    public virtual async Task No_host_descriptor_leaks_into_the_program()
    {
        var secretFile = Path.Combine(Path.GetTempPath(), $"codify-hostile-fd-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(secretFile, "host secret via fd");
        using var file = File.OpenHandle(secretFile);
        var inherited = Dup((int)file.DangerousGetHandle());
        Assert.True(inherited > 2, "dup failed");
        try
        {
            const string code = """
                import os
                for fd in sorted(int(n) for n in os.listdir('/proc/self/fd')):
                    try:
                        target = os.readlink(f'/proc/self/fd/{fd}')
                    except OSError:
                        continue  # the descriptor listdir used, closed by now
                    try:
                        content = os.pread(fd, 100, 0).decode(errors='replace') if target.startswith('/') else ''
                    except OSError:
                        content = ''
                    print(fd, target.split('[')[0], content)
                """;

            var run = await sandbox.RunHostileAsync("python", code, Limits);

            Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
            Assert.True(run.Result.Stdout == "0 pipe: \n1 pipe: \n2 pipe: \n", $"descriptors the program holds:\n{run.Result.Stdout}");
            await sandbox.AssertHostUntouchedAsync(run);
        }
        finally
        {
            _ = Close(inherited);
            File.Delete(secretFile);
        }
    }

    [DllImport("libc", EntryPoint = "dup", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Dup(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
