using System.Runtime.InteropServices;
using System.Text;

namespace Codify.Sandbox.Cgroups;

/// <summary>getxattr(2) on a cgroup folder: how systemd says a unit's cgroup is delegated (Delegate=yes).</summary>
internal static class CgroupXattr
{
    /// <summary>The value, or null when the attribute is absent, unsupported or unreadable (all mean "not marked").</summary>
    public static string? Read(string path, string name)
    {
        var buffer = new byte[256];
        var length = GetXattr(path, name, buffer, (nuint)buffer.Length);
        return length < 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)length);
    }

    [DllImport("libc", EntryPoint = "getxattr", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint GetXattr(string path, string name, byte[] value, nuint size);
}
