using System.Globalization;
using System.Text;

namespace Codify.Sandbox.Cgroups;

/// <summary>
/// The few filesystem calls the drivers make. Virtual so a test can emulate what the kernel does on a fake tree
/// (mkdir creates the interface files, rmdir removes a cgroup that still shows them).
/// </summary>
internal class CgroupFs
{
    public static CgroupFs Real { get; } = new();

    public virtual bool FileExists(string path) => File.Exists(path);

    public virtual bool DirectoryExists(string path) => Directory.Exists(path);

    /// <summary>mkdir -p: on cgroupfs the kernel fills the new folder with the interface files.</summary>
    public virtual void CreateDirectory(string path) => Directory.CreateDirectory(path);

    /// <summary>Creates a run's cgroup; one that already exists is an error.</summary>
    public void CreateNew(string path)
    {
        // A leftover cgroup may still hold an earlier run's processes: reusing it would mix their accounting and kills.
        if (DirectoryExists(path))
        {
            throw new CgroupException($"cgroup {path} already exists");
        }

        try
        {
            CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CgroupException($"cannot create cgroup {path}: {e.Message}", e);
        }
    }

    /// <summary>rmdir: never recursive, the kernel refuses to unlink cgroup interface files and removes them itself.</summary>
    public virtual IReadOnlyList<string> ChildDirectories(string path) =>
        Directory.Exists(path) ? Directory.GetDirectories(path) : [];

    public virtual void RemoveDirectory(string path) => Directory.Delete(path, recursive: false);

    /// <summary>An extended attribute's value (systemd marks a Delegate=yes unit's cgroup trusted.delegate=1), or null if absent.</summary>
    public virtual string? ReadXattr(string path, string name) => CgroupXattr.Read(path, name);

    public virtual string Read(string path) => File.ReadAllText(path);

    /// <summary>One write(2) of the whole value into an existing file: cgroup files parse each write on its own.</summary>
    public virtual void Write(string path, string value)
    {
        // FileMode.Truncate never creates: a missing interface file means the controller is absent, and that must fail.
        using var handle = File.OpenHandle(path, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite);
        RandomAccess.Write(handle, Encoding.ASCII.GetBytes(value), 0);
    }

    public long ReadLong(string path) => long.Parse(Read(path).Trim(), CultureInfo.InvariantCulture);

    /// <summary>The value of "key N" in a flat-keyed file (memory.events, cpu.stat, memory.oom_control), or null.</summary>
    public long? ReadKeyed(string path, string key)
    {
        foreach (var line in Read(path).Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == key)
            {
                return long.Parse(parts[1], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    public IReadOnlyList<int> ReadPids(string procsFile)
    {
        try
        {
            return Read(procsFile).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }

    /// <summary>Sets one limit; any failure becomes a <see cref="CgroupException"/> so the run fails closed.</summary>
    public void SetLimit(string dir, string file, string value)
    {
        var path = Path.Combine(dir, file);
        try
        {
            Write(path, value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CgroupException($"cannot write '{value}' to {path}: {e.Message}", e);
        }
    }

    /// <summary>rmdir, retried while the kernel still counts exiting tasks (EBUSY); false if it never succeeded.</summary>
    public bool RemoveWithRetry(string dir, TimeSpan budget)
    {
        var deadline = DateTime.UtcNow + budget;
        for (var pause = 1; ; pause = Math.Min(pause * 2, 50))
        {
            try
            {
                RemoveDirectory(dir);
                return true;
            }
            catch (DirectoryNotFoundException)
            {
                return true;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(pause);
            }
            catch (IOException)
            {
                return false;
            }
        }
    }

    /// <summary>Whether the host has any active swap. Unreadable counts as yes (fail closed).</summary>
    public bool SwapActive(string swapsPath)
    {
        try
        {
            // /proc/swaps: a header line, then one line per active swap area.
            return Read(swapsPath).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length > 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }
}
