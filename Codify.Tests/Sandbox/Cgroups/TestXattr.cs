using System.Runtime.InteropServices;
using System.Text;

namespace Codify.Tests.Sandbox.Cgroups;

/// <summary>setxattr(2) on a temp folder: marks it delegated the way systemd marks a Delegate=yes unit's cgroup.</summary>
internal static class TestXattr
{
    public static void MarkDelegated(string dir)
    {
        var value = Encoding.ASCII.GetBytes("1");
        // user.delegate: what systemd sets besides trusted.delegate; settable on a plain temp folder.
        Assert.True(SetXattr(dir, "user.delegate", value, (nuint)value.Length, 0) == 0, $"setxattr failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "setxattr", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetXattr(string path, string name, byte[] value, nuint size, int flags);
}
