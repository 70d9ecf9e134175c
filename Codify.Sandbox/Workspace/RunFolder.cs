using System.Runtime.InteropServices;
using System.Text;

namespace Codify.Sandbox.Workspace;

/// <summary>
/// One run's host folder: written only by the host, before the run, and bind-mounted read-only.
/// The sandbox never writes here, so the host never follows a path the program could have planted.
/// </summary>
public sealed class RunFolder : IDisposable
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode ProgramFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite
        | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private RunFolder(string path) => Path = path;

    public string Path { get; private set; }

    public static RunFolder Create(string root, string executionId)
    {
        Directory.CreateDirectory(root, FolderMode);
        // A fresh unique name: a folder left by an earlier run (or planted there) is never reused.
        var path = System.IO.Path.Combine(root, $"{SafeName(executionId)}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path, FolderMode);
        return new RunFolder(path);
    }

    /// <summary>Writes one file the sandbox will see read-only; <paramref name="name"/> may sit below one folder ("src/main.py") and is already checked to be safe.</summary>
    public string WriteFile(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!, FolderMode);
        using var stream = new FileStream(file, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = ProgramFileMode,
        });
        stream.Write(Encoding.UTF8.GetBytes(content));
        return file;
    }

    /// <summary>
    /// Creates the empty file the sandbox may write (the capture channel), owned by the run's host uid so that only this
    /// run can write it. It sits in this root-owned folder that no sandbox uid can write: the program can change the
    /// file's content (read back with caps), never which file the host's path names.
    /// </summary>
    public string CreateChannel(string name, int hostUid)
    {
        var file = WriteFile(name, "");
        if (Chown(file, hostUid, hostUid) != 0)
        {
            throw new IOException($"cannot hand {name} to uid {hostUid}: errno {Marshal.GetLastPInvokeError()}");
        }

        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return file;
    }

    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int owner, int group);

    /// <summary>
    /// Renames the folder (same root) after the execution a warm sandbox was given, as a cold run's folder is named. Bind
    /// mounts of its files inside the sandbox follow the folder (they hold the files, not the path).
    /// </summary>
    public void Rename(string executionId)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, $"{SafeName(executionId)}-{Guid.NewGuid():N}");
        Directory.Move(Path, path);
        Path = path;
    }

    /// <summary>
    /// Fills a file this folder already holds (a warm sandbox's program file, bound read-only before its program was known).
    /// Safe to open by path: the folder is the host's, root-owned and never writable by any sandbox uid, so nothing can have
    /// been planted in it; and the file is opened, never created.
    /// </summary>
    public void Refill(string name, string content)
    {
        using var stream = new FileStream(System.IO.Path.Combine(Path, name), new FileStreamOptions
        {
            Mode = FileMode.Truncate,
            Access = FileAccess.Write,
        });
        stream.Write(Encoding.UTF8.GetBytes(content));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover folder holds only the host's own copy of the program.
        }
    }

    /// <summary>The id reduced to one safe path segment: it names host folders and cgroups, so no "../" may pass.</summary>
    public static string SafeName(string id) =>
        new(id.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').Take(64).ToArray());
}
