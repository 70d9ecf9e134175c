using System.Diagnostics;
using Codify.Sandbox.Cgroups;

namespace Codify.Tests.Sandbox.Cgroups;

/// <summary>Real processes started inside a run's cgroups through the join wrapper, and how to tell whether they live.</summary>
internal static class CgroupTestProcesses
{
    public static string NewRunName() => $"test-{Guid.NewGuid():N}";

    public static Process StartInside(ICgroupRun run, params string[] command)
    {
        var argv = CgroupJoin.Wrap(run.ProcsFiles, command);
        var start = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in argv.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    public static async Task<int> ExitCodeAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    public static async Task<IReadOnlyList<int>> WaitForTasksAsync(ICgroupRun run, int count)
    {
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(10))
        {
            var pids = run.ProcsFiles.SelectMany(f => File.ReadAllLines(f)).Distinct().Select(int.Parse).ToList();
            if (pids.Count >= count)
            {
                return pids;
            }
        }

        throw new TimeoutException($"the run never reached {count} processes");
    }

    /// <summary>Alive unless gone from /proc or a zombie (dead, waiting for its new parent to reap it).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
