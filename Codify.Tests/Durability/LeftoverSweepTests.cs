using Codify.Contracts;
using Codify.Tests.Cancellation;
using Codify.Tests.Infrastructure;
using static Codify.Tests.Sandbox.JobsInRedis;

namespace Codify.Tests.Durability;

/// <summary>
/// A SIGKILLed Sandbox leaves its run cgroups and run folders behind; the next replica to start removes them (killing
/// through the cgroups whatever still runs there), while a replica that starts beside a live one leaves its runs alone.
/// </summary>
[ApiTier]
public sealed class LeftoverSweepTests : IDisposable
{
    // Not CreateTempSubdirectory (0700): the sandbox uids must be able to traverse to their run folders.
    private readonly DirectoryInfo _root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"codify-leftovers-{Guid.NewGuid():N}"));

    private string LivesRoot => Path.Combine(_root.FullName, "lives");

    private string RunRoot => Path.Combine(_root.FullName, "runs");

    [Fact]
    public async Task A_new_replica_removes_a_dead_replicas_cgroups_and_folders_but_never_a_live_ones()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var doomed = SandboxProcess.Start(redis.ConnectionString, slots: 2, new Dictionary<string, string>
        {
            ["Leftovers__LivesRoot"] = LivesRoot,
            ["Isolation__RunRoot"] = RunRoot,
        });
        string[] jobs = [await EnqueueAsync(redis, ExecutionStatus.Queued, "import time\ntime.sleep(60)"),
            await EnqueueAsync(redis, ExecutionStatus.Queued, "import time\ntime.sleep(60)")];
        foreach (var id in jobs)
        {
            await Eventually.ReturnsAsync(() => Task.FromResult(RunProcesses.Of(id).Count), n => n > 0, TimeSpan.FromSeconds(60), $"run {id} to start");
        }

        var tag = Path.GetFileNameWithoutExtension(Assert.Single(Directory.GetFiles(LivesRoot, "*.lock")));
        Assert.NotEmpty(CgroupParents(tag));

        // A replica starting beside the live one: its sweep must spare the live runs.
        await using (var neighbour = Sandbox(redis))
        {
            _ = neighbour.Server;
            Assert.Equal(2, Directory.GetFiles(LivesRoot, "*.lock").Length);
            Assert.All(jobs, id => Assert.NotEmpty(RunProcesses.Of(id)));
            Assert.NotEmpty(CgroupParents(tag));
        }

        await doomed.KillAsync();
        Assert.NotEmpty(CgroupParents(tag)); // nothing tore them down
        Assert.True(Directory.Exists(Path.Combine(RunRoot, tag)));

        await using var next = Sandbox(redis);
        _ = next.Server;

        Assert.False(File.Exists(Path.Combine(LivesRoot, $"{tag}.lock")));
        Assert.Empty(CgroupParents(tag));
        Assert.False(Directory.Exists(Path.Combine(RunRoot, tag)));
        Assert.All(jobs, id => Assert.Empty(RunProcesses.Of(id)));
    }

    [Fact]
    public async Task A_new_replica_removes_a_dead_replicas_pooled_session_kernels()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var doomed = SandboxProcess.Start(redis.ConnectionString, slots: 1, new Dictionary<string, string>
        {
            ["Leftovers__LivesRoot"] = LivesRoot,
            ["Isolation__RunRoot"] = RunRoot,
            ["Sessions__Pool__Python"] = "1",
        });
        var tag = await Eventually.ReturnsAsync(() => Task.FromResult(Directory.Exists(LivesRoot) ? Directory.GetFiles(LivesRoot, "*.lock") : []), locks => locks.Length == 1,
            TimeSpan.FromSeconds(60), "the replica's life lock");
        var life = Path.GetFileNameWithoutExtension(tag[0]);
        var kernels = await Eventually.ReturnsAsync(() => Task.FromResult(KernelProcesses(life)), pids => pids.Count > 0,
            TimeSpan.FromSeconds(90), "a pooled python kernel to start");

        await doomed.KillAsync();
        await using var next = Sandbox(redis);
        _ = next.Server;

        Assert.Empty(CgroupParents(life));
        Assert.False(Directory.Exists(Path.Combine(RunRoot, life)));
        Assert.All(kernels, pid => Assert.False(Running(pid), $"pooled kernel process {pid} outlived its replica"));
    }

    /// <summary>Whether the process exists and is not a zombie (a killed orphan stays one until this machine's pid 1 reaps it).</summary>
    private static bool Running(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Processes in the pooled kernels' cgroups (kernel-python-*) of one life.</summary>
    private static List<int> KernelProcesses(string tag) =>
        [.. CgroupParents(tag).SelectMany(p => Directory.EnumerateDirectories(p, "kernel-python-*"))
            .SelectMany(d => File.ReadAllLines(Path.Combine(d, "cgroup.procs"))).Select(int.Parse).Distinct()];

    private SandboxFactory Sandbox(RedisServer redis) => new(redis.ConnectionString, new Dictionary<string, string?>
    {
        ["Leftovers:LivesRoot"] = LivesRoot,
        ["Isolation:RunRoot"] = RunRoot,
    });

    /// <summary>The dead life's cgroup parent (codify-TAG) in every hierarchy below this process's own cgroup (the Sandbox process inherited it).</summary>
    private static List<string> CgroupParents(string tag)
    {
        var ownPaths = File.ReadLines("/proc/self/cgroup").Select(l => l.Split(':', 3)[2].TrimStart('/')).Distinct().ToList();
        string[] mounts = ["/sys/fs/cgroup", .. Directory.EnumerateDirectories("/sys/fs/cgroup")];
        return [.. mounts.SelectMany(m => ownPaths.Select(own => Path.Join(m, own, $"codify-{tag}"))).Distinct().Where(Directory.Exists)];
    }

    public void Dispose() => _root.Delete(recursive: true);
}
