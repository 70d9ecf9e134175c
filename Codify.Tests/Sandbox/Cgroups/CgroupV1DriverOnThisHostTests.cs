using System.Diagnostics;
using Codify.Contracts;
using Codify.Sandbox.Cgroups;
using Codify.Tests.Infrastructure;
using static Codify.Tests.Sandbox.Cgroups.CgroupTestProcesses;

namespace Codify.Tests.Sandbox.Cgroups;

/// <summary>The v1 driver for real on this machine (root, cgroup v1), with real processes joined through <see cref="CgroupJoin"/>.</summary>
[SandboxTier]
public sealed class CgroupV1DriverOnThisHostTests
{
    // Debian's interpreter: the pyenv python3 on PATH loads a slow .pth hook.
    private const string Python = "/usr/bin/python3";

    private static readonly ExecutionLimits Limits = new(
        WallTimeMs: 10_000, CpuTimeMs: 5000, MemoryBytes: 64L << 20, Processes: 16, OutputBytes: 1024, FileSizeBytes: 1024);

    private static readonly ICgroupDriver Driver = HostDriver();

    private static ICgroupDriver HostDriver()
    {
        var detection = CgroupDetector.Detect(new CgroupOptions());
        Assert.True(detection.IsAvailable, detection.Reason);
        Assert.Equal("v1", detection.Driver.Version);
        return detection.Driver;
    }

    [Fact]
    public async Task Allocating_200_MiB_under_a_64_MiB_limit_is_OOM_killed_by_SIGKILL()
    {
        using var run = Driver.Create(NewRunName(), Limits);
        using var child = StartInside(run, Python, "-I", "-S", "-c", "s = b'x' * (200 << 20); print(len(s))");

        var exit = await ExitCodeAsync(child);
        var usage = run.ReadUsage();

        Assert.Equal(128 + 9, exit);
        Assert.True(usage.OomKilled);
        Assert.InRange(usage.MemoryPeakBytes, 8L << 20, 64L << 20);
    }

    [Fact]
    public async Task Forks_past_the_pids_limit_fail_and_the_task_count_never_exceeds_it()
    {
        using var run = Driver.Create(NewRunName(), Limits);
        using var child = StartInside(run, "/bin/sh", "-c", "i=0; while [ $i -lt 50 ]; do sleep 5 >/dev/null 2>&1 & i=$((i+1)); done; wait");
        // On a loaded machine the child may take a while to join: wait until it is in, then sample.
        var most = (await Eventually.ReturnsAsync(() => Task.FromResult(run.ReadUsage().Processes), n => n > 0,
            TimeSpan.FromSeconds(15), "the child to join the run's cgroup"));
        // Keep sampling after sh gave up: its orphaned sleeps stay in the cgroup.
        for (var clock = Stopwatch.StartNew(); clock.ElapsedMilliseconds < 500; await Task.Delay(5))
        {
            most = Math.Max(most, run.ReadUsage().Processes);
        }

        run.KillAll();
        await ExitCodeAsync(child);
        var pidsDir = run.ProcsFiles.Select(Path.GetDirectoryName).Single(d => File.Exists(Path.Combine(d!, "pids.max")))!;
        Assert.InRange(most, 1, Limits.Processes);
        Assert.Contains("fork", await child.StandardError.ReadToEndAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual("max 0", File.ReadAllText(Path.Combine(pidsDir, "pids.events")).Trim());
        Assert.All(run.ProcsFiles, f => Assert.Equal("", File.ReadAllText(f)));
    }

    [Fact]
    public async Task A_300_ms_busy_loop_is_counted_as_cpu_time()
    {
        using var run = Driver.Create(NewRunName(), Limits);
        using var child = StartInside(run, Python, "-I", "-S", "-c",
            "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass");

        Assert.Equal(0, await ExitCodeAsync(child));
        Assert.InRange(run.ReadUsage().CpuTimeMs, 201, 5000);
    }

    [Fact]
    public async Task KillAll_kills_even_escaped_processes_and_Dispose_removes_every_hierarchy_folder()
    {
        using var run = Driver.Create(NewRunName(), Limits);
        var dirs = run.ProcsFiles.Select(Path.GetDirectoryName).ToList();
        // setsid + double fork: these sleeps leave the child's session and process tree, not its cgroup.
        using var child = StartInside(run, "/bin/sh", "-c", "sleep 60 & sleep 60 & setsid sh -c 'sleep 60 &' ; exec sleep 60");
        var pids = await WaitForTasksAsync(run, 4);

        run.KillAll();

        // pids.current may still count killed orphans until their new parent (pid 1) reaps them: check cgroup.procs and /proc.
        Assert.All(run.ProcsFiles, f => Assert.Equal("", File.ReadAllText(f)));
        Assert.All(pids, pid => Assert.False(IsAlive(pid), $"pid {pid} survived"));
        run.Dispose();
        Assert.All(dirs, d => Assert.False(Directory.Exists(d), $"{d} was not removed"));
    }

    [Fact]
    public async Task Dispose_with_live_processes_kills_them_and_removes_the_folders()
    {
        using var run = Driver.Create(NewRunName(), Limits);
        var dirs = run.ProcsFiles.Select(Path.GetDirectoryName).ToList();
        using var child = StartInside(run, "/bin/sh", "-c", "sleep 60 & exec sleep 60");
        var pids = await WaitForTasksAsync(run, 2);

        run.Dispose();

        Assert.All(dirs, d => Assert.False(Directory.Exists(d), $"{d} was not removed"));
        Assert.All(pids, pid => Assert.False(IsAlive(pid), $"pid {pid} survived"));
    }

    [Fact]
    public async Task A_failed_join_never_runs_the_command()
    {
        using var run = Driver.Create(NewRunName(), Limits);
        var marker = Path.Combine(Path.GetTempPath(), $"joined-{Guid.NewGuid():N}");
        var argv = CgroupJoin.Wrap([run.ProcsFiles[0], "/nonexistent/cgroup.procs"], ["/bin/touch", marker]);
        var start = new ProcessStartInfo(argv[0]) { RedirectStandardError = true };
        foreach (var arg in argv.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;

        Assert.Equal(CgroupJoin.JoinFailedExitCode, await ExitCodeAsync(child));
        Assert.False(File.Exists(marker));
    }
}
