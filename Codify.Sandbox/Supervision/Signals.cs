namespace Codify.Sandbox.Supervision;

/// <summary>bwrap reports a child killed by signal N as exit code 128 + N.</summary>
public static class Signals
{
    private static readonly Dictionary<int, string> Names = new()
    {
        [1] = "SIGHUP",
        [2] = "SIGINT",
        [3] = "SIGQUIT",
        [4] = "SIGILL",
        [5] = "SIGTRAP",
        [6] = "SIGABRT",
        [7] = "SIGBUS",
        [8] = "SIGFPE",
        [9] = "SIGKILL",
        [10] = "SIGUSR1",
        [11] = "SIGSEGV",
        [12] = "SIGUSR2",
        [13] = "SIGPIPE",
        [14] = "SIGALRM",
        [15] = "SIGTERM",
        [24] = "SIGXCPU",
        [25] = "SIGXFSZ",
        [31] = "SIGSYS",
    };

    public static string? FromExitCode(int exitCode) =>
        exitCode is > 128 and < 160 ? Names.GetValueOrDefault(exitCode - 128, $"SIG{exitCode - 128}") : null;
}
