using System.Text.Json;
using Codify.Contracts;

namespace Codify.Tests.Sandbox.Hostile;

/// <summary>Runs share nothing: what one run leaves in its writable mounts is gone for the next, and two live runs cannot see each other.</summary>
[SandboxTier]
public class IsolationBetweenRunsTests(SandboxRunnerFixture sandbox) : IClassFixture<SandboxRunnerFixture>
{
    private static readonly ExecutionLimits Limits = SandboxRunnerFixture.Limits(wallMs: 10_000);

    private const string PythonWriter = """
        import os
        for d in ['/tmp', '/box', '/dev/shm']:
            for name in ['x', '@MARKER@-x']:
                with open(f'{d}/{name}', 'w') as f:
                    f.write('@MARKER@')
        os.makedirs(os.path.expanduser('~/.cache/@MARKER@'))
        print('written')
        """;

    private const string NodeWriter = """
        const fs = require('fs');
        const os = require('os');
        for (const d of ['/tmp', '/box', '/dev/shm'])
          for (const name of ['x', '@MARKER@-x']) fs.writeFileSync(`${d}/${name}`, '@MARKER@');
        fs.mkdirSync(`${os.homedir()}/.cache/@MARKER@`, { recursive: true });
        console.log('written');
        """;

    private const string PythonReader = """
        import json, os
        print(json.dumps({d: sorted(os.listdir(d)) for d in ['/tmp', '/dev/shm', '/box']}))
        """;

    private const string NodeReader = """
        const fs = require('fs');
        console.log(JSON.stringify(Object.fromEntries(['/tmp', '/dev/shm', '/box'].map(d => [d, fs.readdirSync(d).sort()]))));
        """;

    [Theory]
    [InlineData("python", "python")]
    [InlineData("javascript", "python")]
    [InlineData("python", "javascript")]
    public async Task Files_written_by_one_run_are_gone_for_the_next(string writerLanguage, string readerLanguage)
    {
        var writer = await sandbox.RunHostileAsync(writerLanguage, writerLanguage == "python" ? PythonWriter : NodeWriter, Limits);
        Assert.Equal(ExecutionStatus.Completed, writer.Result.Status);
        Assert.Equal("written\n", writer.Result.Stdout);
        await sandbox.AssertHostUntouchedAsync(writer);

        var reader = await sandbox.RunHostileAsync(readerLanguage, readerLanguage == "python" ? PythonReader : NodeReader, Limits);

        Assert.Equal(ExecutionStatus.Completed, reader.Result.Status);
        var listing = JsonSerializer.Deserialize<Dictionary<string, string[]>>(reader.Result.Stdout)!;
        Assert.Empty(listing["/tmp"]);
        Assert.Empty(listing["/dev/shm"]);
        Assert.Equal(sandbox.ProgramIsAFile ? [Languages.Find(readerLanguage)!.FileName] : [], listing["/box"]);
        await sandbox.AssertHostUntouchedAsync(reader);
    }

    private const string Watcher = """
        import json, os, subprocess, time
        me, other = '@MARKER@', '@OTHER@'
        for d in ['/tmp', '/dev/shm', '/box']:
            with open(f'{d}/{me}', 'w') as f:
                f.write(me)
        child = subprocess.Popen([f'{me}-sleep', '300'], executable='sleep')

        def scan(marker):
            found = [f'{d}/{n}' for d in ['/tmp', '/dev/shm', '/box'] for n in os.listdir(d) if marker in n]
            for p in filter(str.isdigit, os.listdir('/proc')):
                try:
                    if marker.encode() in open(f'/proc/{p}/cmdline', 'rb').read():
                        found.append(f'/proc/{p}')
                except OSError:
                    pass
            return found

        start = time.time()
        seen = set()
        while time.time() < start + 3:
            seen.update(scan(other))
            time.sleep(0.05)
        print(json.dumps({'start': start, 'end': time.time(), 'seen': sorted(seen), 'own': len(scan(me))}))
        """;

    [Fact]
    public async Task Two_runs_at_once_cannot_see_each_others_files_or_processes()
    {
        var first = HostChecks.NewMarker();
        var second = HostChecks.NewMarker();

        var runs = await Task.WhenAll(
            sandbox.RunHostileAsync(first, "python", Watcher.Replace("@OTHER@", second, StringComparison.Ordinal), Limits),
            sandbox.RunHostileAsync(second, "python", Watcher.Replace("@OTHER@", first, StringComparison.Ordinal), Limits));

        var reports = runs.Select(run =>
        {
            Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
            return JsonSerializer.Deserialize<JsonElement>(run.Result.Stdout);
        }).ToList();
        Assert.All(reports, r => Assert.Equal(0, r.GetProperty("seen").GetArrayLength()));
        // Each saw its own marker (3 files, bwrap naming its run folder, its sleep child): the scan itself works. A warm
        // sandbox's bwrap was started before its run had a name: its command line names a pool folder instead.
        Assert.All(reports, r => Assert.InRange(r.GetProperty("own").GetInt32(), sandbox.Pool is null ? 5 : 4, 10));
        // They really ran at the same time.
        Assert.True(
            reports.Max(r => r.GetProperty("start").GetDouble()) < reports.Min(r => r.GetProperty("end").GetDouble()),
            "the two runs did not overlap");
        foreach (var run in runs)
        {
            await sandbox.AssertHostUntouchedAsync(run);
        }
    }

    private const string InotifyHog = """
        import ctypes, json, time
        libc = ctypes.CDLL(None, use_errno=True)
        start, held = time.time(), 0
        while libc.inotify_init() >= 0:
            held += 1
        time.sleep(3)
        print(json.dumps({'start': start, 'end': time.time(), 'held': held}))
        """;

    private const string InotifyUser = """
        import ctypes, errno, json, os, time
        libc = ctypes.CDLL(None, use_errno=True)
        start, ok, failures = time.time(), 0, set()
        while time.time() < start + 2:
            fd = libc.inotify_init()
            if fd < 0:
                failures.add(errno.errorcode[ctypes.get_errno()])
            else:
                os.close(fd)
                ok += 1
            time.sleep(0.02)
        print(json.dumps({'start': start, 'end': time.time(), 'ok': ok, 'failures': sorted(failures)}))
        """;

    /// <summary>
    /// Runs must not share per-user kernel budgets. Some kernel limits count per host uid across user namespaces
    /// (fs.inotify.max_user_instances = 128 here; also RLIMIT_SIGPENDING, RLIMIT_MSGQUEUE, pipe-user-pages-soft): were
    /// concurrent runs one host uid, a run holding them all would starve the others (the second run would get EMFILE from
    /// inotify_init; node's fs.watch breaks the same way). Guards that each concurrent run has its own host uid (the
    /// HostUidPool lease): the hog exhausts its own uid's inotify instances, and the overlapping run still gets every one it asks for.
    /// </summary>
    [Fact]
    public async Task A_run_hoarding_inotify_instances_does_not_starve_a_concurrent_run()
    {
        var hog = sandbox.RunHostileAsync("python", InotifyHog, Limits);
        await Task.Delay(300);
        var user = await sandbox.RunHostileAsync("python", InotifyUser, Limits);
        var hogRun = await hog;

        Assert.Equal(ExecutionStatus.Completed, hogRun.Result.Status);
        Assert.Equal(ExecutionStatus.Completed, user.Result.Status);
        var hogReport = JsonSerializer.Deserialize<JsonElement>(hogRun.Result.Stdout);
        var userReport = JsonSerializer.Deserialize<JsonElement>(user.Result.Stdout);
        Assert.True(hogReport.GetProperty("start").GetDouble() < userReport.GetProperty("end").GetDouble()
            && userReport.GetProperty("start").GetDouble() < hogReport.GetProperty("end").GetDouble(), "the two runs did not overlap");
        Assert.InRange(hogReport.GetProperty("held").GetInt32(), 1, 256);
        Assert.True(userReport.GetProperty("failures").GetArrayLength() == 0,
            $"the concurrent run was starved: {userReport} while the other held {hogReport.GetProperty("held")} inotify instances");
        await sandbox.AssertHostUntouchedAsync(hogRun);
        await sandbox.AssertHostUntouchedAsync(user);
    }
}
