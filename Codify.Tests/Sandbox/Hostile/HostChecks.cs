using System.Diagnostics;
using System.Globalization;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Sandbox.Hostile;

/// <summary>One hostile program's run: the unique marker it was given (also its execution id) and what the Sandbox reported.</summary>
public sealed record HostileRun(string Marker, string Language, ExecutionResult Result);

/// <summary>
/// Runs hostile programs and proves afterwards that the host is untouched. Every run gets a unique marker, used as its
/// execution id (so it names the run's cgroups and host run folder) and substituted for <see cref="MarkerToken"/> in the
/// program (so the program can put it in file names and argv). After the run nothing on the host may carry it:
/// no process (in the run's cgroup, or with the marker in its command line), no cgroup folder in any hierarchy,
/// no file or folder in the host's temp folders or the runner's run root. And the next run must still work.
/// </summary>
public static class HostChecks
{
    public const string MarkerToken = "@MARKER@";

    /// <summary>The folder the cgroup drivers create run cgroups in, below the service's own cgroup (CgroupOptions.ParentName).</summary>
    private const string CgroupParent = "codify";

    private const string CgroupRoot = "/sys/fs/cgroup";

    private static readonly EnumerationOptions Everywhere = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        AttributesToSkip = 0,
        MatchType = MatchType.Simple,
    };

    /// <summary>Letters and digits only: it survives RunFolder.SafeName unchanged and is unique per run.</summary>
    public static string NewMarker() => $"hostile{Guid.NewGuid():N}";

    public static Task<HostileRun> RunHostileAsync(this SandboxRunnerFixture sandbox, string language, string code,
        ExecutionLimits limits, CancellationToken cancellationToken = default) =>
        sandbox.RunHostileAsync(NewMarker(), language, code, limits, cancellationToken);

    public static async Task<HostileRun> RunHostileAsync(this SandboxRunnerFixture sandbox, string marker, string language,
        string code, ExecutionLimits limits, CancellationToken cancellationToken = default)
    {
        var spec = new ExecutionSpec(language, code.Replace(MarkerToken, marker, StringComparison.Ordinal), null, limits);
        var result = await sandbox.Runner.RunAsync(marker, spec, cancellationToken);
        return new HostileRun(marker, language, result);
    }

    /// <summary>Everything the run could have left on the host is gone, and a hello world in the same language still completes.</summary>
    public static async Task AssertHostUntouchedAsync(this SandboxRunnerFixture sandbox, HostileRun run)
    {
        // A finished sandbox's processes are dead before its result; its empty cgroup folders and run folder are removed
        // right after, off the result's path: once that is done, nothing of the run may be left.
        await sandbox.WhenCleanedUpAsync().WaitAsync(KernelUnderTest.Scaled(TimeSpan.FromSeconds(30)));
        var leftovers = Leftovers(sandbox, run.Marker);
        Assert.True(leftovers.Count == 0, $"run {run.Marker} ({run.Result.Status.ToWire()}) left on the host:\n{string.Join('\n', leftovers)}");
        await sandbox.AssertNextRunCompletesAsync(run.Language);
    }

    public static async Task AssertNextRunCompletesAsync(this SandboxRunnerFixture sandbox, string language)
    {
        var code = language == "python" ? "print('hello')" : "console.log('hello')";
        var next = await sandbox.Runner.RunAsync("hostile-next", new ExecutionSpec(language, code, null, SandboxRunnerFixture.Limits()), CancellationToken.None);

        Assert.True(next is { Status: ExecutionStatus.Completed, Stdout: "hello\n" },
            $"the next run did not complete normally: {next.Status.ToWire()} '{next.Stdout}' '{next.Stderr}' {next.Message}");
    }

    public static IReadOnlyList<string> Leftovers(SandboxRunnerFixture sandbox, string marker) =>
        [.. Processes(marker, sandbox.Options), .. CgroupFolders(marker), .. HostFiles(sandbox.Options.RunRoot, marker)];

    /// <summary>
    /// Host processes of the run: any whose cgroup (in any hierarchy) is the run's, or whose command line carries the
    /// marker (the launch wrapper and bwrap name the run folder; hostile programs put it in their children's argv).
    /// </summary>
    public static IReadOnlyList<string> Processes(string marker, Codify.Sandbox.Launch.IsolationOptions isolation)
    {
        // In a cgroup named after the run (cold) or its session, or sharing one with a process whose mounts name its run folder (warm).
        string[] cgroupNames = [$"/{CgroupParent}/run-{marker}-", $"/{CgroupParent}/session-{marker}-"];
        var inRun = Codify.Tests.Cancellation.RunProcesses.Of(marker).Select(p => p.Pid).ToHashSet();
        var found = new List<string>();
        var self = Environment.ProcessId;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self)
            {
                continue;
            }

            var cgroup = TryRead($"{dir}/cgroup") ?? "";
            var cmdline = (TryRead($"{dir}/cmdline") ?? "").Replace('\0', ' ').Trim();
            // Both: a process forked after the snapshot of RunProcesses still shows its cgroup's name here.
            var inRunCgroup = cgroupNames.Any(name => cgroup.Contains(name, StringComparison.Ordinal)) || inRun.Contains(pid);
            if (inRunCgroup || cmdline.Contains(marker, StringComparison.Ordinal))
            {
                var status = TryRead($"{dir}/status") ?? "";
                var uid = StatusField(status, "Uid:");
                var state = StatusField(status, "State:");
                var realUid = int.TryParse(uid.Split('\t', ' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var u) ? u : -1;
                var who = realUid >= isolation.HostUidBase && realUid < isolation.HostUidBase + isolation.HostUidCount ? "the sandbox uid" : $"uid {uid}";
                found.Add($"process {pid} ({state}, {who}{(inRunCgroup ? ", in the run's cgroup" : "")}): {cmdline}");
            }
        }

        return found;
    }

    /// <summary>The run's (or its session's) cgroup folders, looked for below this process's own cgroup in every mounted hierarchy.</summary>
    public static IReadOnlyList<string> CgroupFolders(string marker)
    {
        // On v2 the Sandbox sits in <home>/service and builds in <home>/codify.
        var ownPaths = File.ReadLines("/proc/self/cgroup").Select(l => l.Split(':', 3)[2].TrimStart('/'))
            .SelectMany(own => own.EndsWith("service", StringComparison.Ordinal) ? [own, Path.GetDirectoryName(own) ?? ""] : new[] { own })
            .Distinct().ToList();
        string[] mounts = [CgroupRoot, .. Directory.EnumerateDirectories(CgroupRoot)];
        return mounts
            .SelectMany(mount => ownPaths.Select(own => Path.Join(mount, own, CgroupParent)))
            .Distinct()
            .Where(Directory.Exists)
            .SelectMany(parent => Directory.EnumerateDirectories(parent, $"run-{marker}-*").Concat(Directory.EnumerateDirectories(parent, $"session-{marker}-*")))
            .Select(dir => $"cgroup folder {dir}")
            .ToList();
    }

    /// <summary>Files or folders named with the marker in the host's temp folders, the run root, the test's own folders, or a host /box.</summary>
    public static IReadOnlyList<string> HostFiles(string runRoot, string marker)
    {
        string[] roots = ["/tmp", "/var/tmp", "/dev/shm", runRoot, AppContext.BaseDirectory, Environment.CurrentDirectory];
        var found = roots.Select(Path.GetFullPath).Distinct().Where(Directory.Exists)
            .SelectMany(root => Search(root, $"*{marker}*"))
            .Distinct()
            .Select(path => $"host path {path}")
            .ToList();
        if (Path.Exists("/box"))
        {
            found.Add("host path /box exists");
        }

        found.AddRange(Directory.EnumerateFileSystemEntries("/").Where(p => p.Contains(marker, StringComparison.Ordinal)).Select(p => $"host path {p}"));
        return found;
    }

    /// <summary>
    /// Bytes of shared memory on the host that no process maps: what tmpfs mounts hold in files. /proc/meminfo's Shmem less
    /// every process's proportional share of the shared memory it maps (Pss_Shmem): each .NET process maps tens of MiB
    /// of it for its JIT code, which comes and goes with the suite's other processes (up to ~10 MiB/s while a test host
    /// warms up), far past any slack a check of a freed 64 MiB mount can allow.
    /// </summary>
    public static long HostUnmappedShmemBytes()
    {
        var shmemKb = MemoryField(File.ReadAllText("/proc/meminfo"), "Shmem:");
        var mappedKb = 0L;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (char.IsAsciiDigit(Path.GetFileName(dir)[0]))
            {
                mappedKb += MemoryField(TryRead($"{dir}/smaps_rollup") ?? "", "Pss_Shmem:");
            }
        }

        return (shmemKb - mappedKb) * 1024;
    }

    /// <summary>Waits (bounded) for the host's unmapped shared memory to fall back under a bound: tmpfs mounts are freed as their namespace dies.</summary>
    public static async Task<long> WaitForHostShmemAsync(long atMostBytes, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        long shmem;
        while ((shmem = HostUnmappedShmemBytes()) > atMostBytes && clock.Elapsed < timeout)
        {
            await Task.Delay(50);
        }

        return shmem;
    }

    /// <summary>Whether a host process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        var state = StatusField(TryRead($"/proc/{pid}/status") ?? "", "State:");
        return state.Length > 0 && state[0] is not ('Z' or 'X');
    }

    private static List<string> Search(string root, string pattern)
    {
        // Other tests' run folders come and go while this walks /tmp: retry a walk that lost a folder under it.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Directory.EnumerateFileSystemEntries(root, pattern, Everywhere).ToList();
            }
            catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException && attempt < 5)
            {
            }
        }
    }

    /// <summary>A "Name:   123 kB" field of /proc/meminfo or smaps_rollup, in kB; 0 when absent (a kernel thread's empty rollup).</summary>
    private static long MemoryField(string text, string field)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private static string StatusField(string status, string field) =>
        status.Split('\n').FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal))?[field.Length..].Trim() ?? "";

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
