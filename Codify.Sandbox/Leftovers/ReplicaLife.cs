using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Leftovers;

/// <summary>
/// This process's life as a Sandbox replica: a random tag that names its run cgroups' parent (<c>codify-TAG</c>) and its
/// run folders (<c>RunRoot/TAG</c>), and an exclusive lock on <c>LivesRoot/TAG.lock</c> held until the process ends (the
/// kernel drops it even on SIGKILL). A lock nobody holds is therefore a dead life whose leftovers may be removed, while
/// the runs of another live replica on the same host are never touched.
/// </summary>
public sealed class ReplicaLife : IDisposable
{
    private const UnixFileMode RootOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly FileStream _lock;

    public ReplicaLife(IOptions<LeftoverOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        LivesRoot = options.Value.LivesRoot;
        // Root-only: another host user could otherwise plant or hold a lock file and make us remove or spare a life.
        Directory.CreateDirectory(LivesRoot, RootOnly);
        Tag = Guid.NewGuid().ToString("N")[..12];
        _lock = new FileStream(LockFile(LivesRoot, Tag), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
    }

    public string Tag { get; }

    public string LivesRoot { get; }

    /// <summary>Writes what the life's runs live under, for the replica that may one day remove them.</summary>
    public void Record(IEnumerable<string> cgroupParents)
    {
        _lock.SetLength(0);
        using var writer = new StreamWriter(_lock, leaveOpen: true);
        foreach (var parent in cgroupParents)
        {
            writer.WriteLine(parent);
        }
    }

    public static string LockFile(string livesRoot, string tag) => Path.Combine(livesRoot, $"{tag}.lock");

    public static string CgroupParentName(string baseName, string tag) => $"{baseName}-{tag}";

    public void Dispose() => _lock.Dispose();
}
