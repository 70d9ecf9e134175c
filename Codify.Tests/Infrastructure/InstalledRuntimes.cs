using System.Diagnostics;
using Codify.Contracts;

namespace Codify.Tests.Infrastructure;

/// <summary>What the test itself reads from the interpreters, to compare with what the API serves.</summary>
public static class InstalledRuntimes
{
    /// <summary>The version <c>INTERPRETER --version</c> prints, read here independently of the Sandbox's parser.</summary>
    public static async Task<string> VersionOfAsync(string interpreter)
    {
        var start = new ProcessStartInfo(interpreter) { ArgumentList = { "--version" }, RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var printed = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();
        // "Python 3.11.2" → "3.11.2"; "v20.20.2" → "20.20.2".
        return printed.Split(' ')[^1].TrimStart('v');
    }

    public static Task<string> PythonAsync() => VersionOfAsync("/usr/bin/python3");

    public static Task<string> NodeAsync() => VersionOfAsync("/usr/bin/node");

    /// <summary>Waits until the stack's Sandbox has published both runtimes (it does so at start-up, beside its heartbeat).</summary>
    public static Task WaitUntilPublishedAsync(StackFixture stack) =>
        Eventually.ReturnsAsync(() => stack.Redis.Db.HashLengthAsync(RedisKeys.Runtimes), n => n >= Languages.All.Count,
            TimeSpan.FromSeconds(30), "the sandbox to publish its runtimes");
}
