using Codify.Sandbox.Cgroups;
using Codify.Sandbox.Launch;
using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Leftovers;

/// <summary>
/// At start, before any run: records where this life's run cgroups go, then removes what dead lives of replicas on this
/// host left (a SIGKILLed or crashed Sandbox tears nothing down): kills their processes through their run cgroups,
/// removes those cgroups and their run folders. Host uids need nothing: their leases are file locks the kernel dropped.
/// </summary>
internal sealed partial class LeftoverSweep(
    ReplicaLife life, ICgroupDriver cgroups, IOptions<CgroupOptions> cgroupOptions, IOptions<IsolationOptions> isolation,
    ILogger<LeftoverSweep> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        life.Record(cgroups.ParentDirs(cgroupOptions.Value.ParentName));
        var runRootBase = Path.GetDirectoryName(isolation.Value.RunRoot)!;
        foreach (var lockFile in Directory.GetFiles(life.LivesRoot, "*.lock"))
        {
            var tag = Path.GetFileNameWithoutExtension(lockFile);
            if (tag != life.Tag)
            {
                TrySweep(lockFile, tag, runRootBase);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void TrySweep(string lockFile, string tag, string runRootBase)
    {
        try
        {
            // Held by a live replica (here or another process): its runs are alive, leave them.
            using var held = new FileStream(lockFile, FileMode.Open, FileAccess.Read, FileShare.None);
            var recorded = new StreamReader(held).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var removed = 0;
            if (recorded.Length > 0)
            {
                var parentName = Path.GetFileName(recorded[0]);
                // Only a life that lived in this replica's own cgroup: anything else is not ours to kill or remove.
                if (!cgroups.ParentDirs(parentName).Order().SequenceEqual(recorded.Order()))
                {
                    return;
                }

                removed = cgroups.RemoveLeftovers(parentName);
            }

            var folder = Path.Combine(runRootBase, tag);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            File.Delete(lockFile);
            LogSwept(logger, tag, removed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or CgroupException)
        {
            // Locked (alive), or being swept by another replica right now: it is theirs, or the next start's.
            LogSkipped(logger, tag, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed the leftovers of dead Sandbox life {Tag}: {Runs} run cgroup(s) (processes killed) and its run folders")]
    private static partial void LogSwept(ILogger logger, string tag, int runs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Left Sandbox life {Tag} alone: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string tag, string reason);
}
