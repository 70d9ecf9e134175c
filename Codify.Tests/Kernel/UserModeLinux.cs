using System.Diagnostics;
using System.Text;

namespace Codify.Tests.Kernel;

/// <summary>
/// Boots Debian's user-mode Linux (a kernel that runs as an ordinary process) on the host's own files (hostfs, read-write)
/// with a script as init, and waits (bounded) for it to power off. Its console is captured for the failure message.
/// </summary>
internal static class UserModeLinux
{
    public const string Binary = "/usr/bin/linux.uml";

    /// <summary>Why the user-mode kernel cannot boot here, or null when it can (as far as can be told before booting).</summary>
    public static string? WhyUnavailable()
    {
        if (!File.Exists(Binary))
        {
            return $"{Binary} is missing: install Debian's user-mode-linux package (scripts/install-deps.sh does)";
        }

        // UML maps its memory from a file in TMPDIR (default /tmp): a noexec mount there would stop it at boot.
        var tmp = Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } set ? set : "/tmp";
        var mount = File.ReadLines("/proc/self/mounts").Select(l => l.Split(' ')).Where(f => f.Length > 3 && IsUnder(tmp, f[1]))
            .MaxBy(f => f[1].Length);
        return mount is not null && mount[3].Split(',').Contains("noexec")
            ? $"{tmp} is on a noexec mount ({mount[1]}): user-mode Linux cannot map its memory there; set TMPDIR elsewhere"
            : null;
    }

    public sealed record Boot(bool PoweredOff, TimeSpan Took, string Console);

    public static async Task<Boot> RunAsync(string initScript, string memory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { $"mem={memory}", "root=/dev/root", "rootfstype=hostfs", "rootflags=/", "rw", $"init={initScript}", "con=null", "con0=fd:0,fd:1" })
        {
            start.ArgumentList.Add(arg);
        }

        var console = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(console, e.Data);
        process.ErrorDataReceived += (_, e) => Append(console, e.Data);
        var clock = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Append(console, $"[test] killed the user-mode kernel after {timeout}");
            return new Boot(false, clock.Elapsed, Text(console));
        }

        return new Boot(true, clock.Elapsed, Text(console));
    }

    private static bool IsUnder(string path, string mountPoint) =>
        mountPoint == "/" || path == mountPoint || path.StartsWith(mountPoint + "/", StringComparison.Ordinal);

    private static void Append(StringBuilder console, string? line)
    {
        if (line is not null)
        {
            lock (console)
            {
                console.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder console)
    {
        lock (console)
        {
            return console.ToString();
        }
    }
}
