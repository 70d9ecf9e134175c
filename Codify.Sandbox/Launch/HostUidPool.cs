using Microsoft.Extensions.Options;

namespace Codify.Sandbox.Launch;

/// <summary>
/// Hands every concurrent run its own unprivileged host uid. Some kernel limits count per host uid across user
/// namespaces (inotify instances, pending signals, message queues, pipe buffers): with one shared uid, a run holding
/// them all starves the runs beside it. Leases are exclusive file locks, so replicas on one host never share a uid.
/// </summary>
public sealed class HostUidPool(IOptions<IsolationOptions> options)
{
    private const UnixFileMode LockFolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <exception cref="IOException">Every uid of the pool is in use: the run must not start with a shared uid.</exception>
    public Lease Acquire() => Acquire(options.Value.HostUidBase, options.Value.HostUidCount);

    /// <summary>A uid from another range (the fork server's, ForkServer/), with the same locks.</summary>
    /// <exception cref="IOException">Every uid of the range is in use.</exception>
    public Lease Acquire(int first, int count)
    {
        var o = options.Value;
        // Root-only folder: no other host user can pre-create or hold a lock file to take uids away. Its parent keeps the
        // default mode: it may also hold the run folders, which sandbox uids must be able to traverse.
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(o.HostUidLockRoot))!);
        Directory.CreateDirectory(o.HostUidLockRoot, LockFolderMode);
        var start = Random.Shared.Next(count);
        for (var i = 0; i < count; i++)
        {
            var uid = first + ((start + i) % count);
            try
            {
                // FileShare.None is an exclusive flock on Linux: held until the lease is disposed, released if we die.
                var file = new FileStream(Path.Combine(o.HostUidLockRoot, $"{uid}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return new Lease(uid, file);
            }
            catch (IOException)
            {
                // Taken by another run (here or in another replica): try the next one.
            }
        }

        throw new IOException($"all {count} sandbox host uids from {first} are in use ({(first == o.HostUidBase ? "Isolation" : "Sandbox:ForkServer")}:HostUidCount)");
    }

    public sealed class Lease(int uid, FileStream lockFile) : IDisposable
    {
        public int Uid { get; } = uid;

        public void Dispose() => lockFile.Dispose();
    }
}
