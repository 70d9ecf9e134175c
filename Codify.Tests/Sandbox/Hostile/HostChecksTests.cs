using System.Diagnostics;
using Codify.Contracts;

namespace Codify.Tests.Sandbox.Hostile;

/// <summary>The host checks are not vacuous: while a run lives they see its processes, cgroup folders and run folder.</summary>
[SandboxTier]
public sealed class HostChecksTests(SandboxRunnerFixture sandbox) : IClassFixture<SandboxRunnerFixture>
{
    [Fact]
    public async Task Checks_see_a_live_run_and_nothing_once_it_ended()
    {
        const string code = """
            import subprocess, time
            # argv[0] carries the marker: sleep itself would reject an extra argument and exit at once.
            subprocess.Popen(['@MARKER@-sleep', '300'], executable='sleep')
            print('started', flush=True)
            time.sleep(300)
            """;
        var marker = HostChecks.NewMarker();
        using var cancel = new CancellationTokenSource();
        var running = sandbox.RunHostileAsync(marker, "python", code, SandboxRunnerFixture.Limits(wallMs: 10_000), cancel.Token);

        IReadOnlyList<string> processes = [], cgroups = [], files = [];
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(8); await Task.Delay(20))
        {
            processes = HostChecks.Processes(marker, sandbox.Options);
            cgroups = HostChecks.CgroupFolders(marker);
            files = HostChecks.HostFiles(sandbox.Options.RunRoot, marker);
            if (processes.Any(p => p.Contains("-sleep 300", StringComparison.Ordinal)))
            {
                break;
            }
        }

        await cancel.CancelAsync();
        var run = await running;

        Assert.Equal(ExecutionStatus.Cancelled, run.Result.Status);
        // The sandboxed python and its sleep child in the run's cgroup, as a pool uid; the wrapper/bwrap by argv.
        Assert.True(processes.Any(p => p.Contains("-sleep 300", StringComparison.Ordinal) && p.Contains("in the run's cgroup", StringComparison.Ordinal)
            && p.Contains("the sandbox uid", StringComparison.Ordinal)), string.Join('\n', processes));
        Assert.Contains(processes, p => p.Contains("/usr/bin/python3 -E -s -u main.py", StringComparison.Ordinal));
        // memory, pids, cpuacct and cpu: one folder per hierarchy on this v1 host.
        Assert.Equal(4, cgroups.Count);
        Assert.Contains(files, f => f.Contains(sandbox.Options.RunRoot, StringComparison.Ordinal));
        await sandbox.AssertHostUntouchedAsync(run);
    }

    [Fact]
    public void A_marker_file_in_host_tmp_is_found()
    {
        var marker = HostChecks.NewMarker();
        var folder = Directory.CreateTempSubdirectory("codify-hostchecks-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, $"{marker}-planted"), "x");

            Assert.Single(HostChecks.HostFiles(sandbox.Options.RunRoot, marker));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
