namespace Codify.ExecutionApi.Piston.Connect;

/// <summary>
/// The signal names a <c>signal</c> message may carry (Piston's list: Linux's 1-31 and the real-time ones). Codify can
/// only kill a run, so a signal whose default action ends the process kills it; one whose default action is to ignore
/// it or to continue leaves the run alone, as it would a program without handlers; stopping a run is not supported.
/// </summary>
public static class PistonSignals
{
    private static readonly HashSet<string> Harmless = new(StringComparer.Ordinal)
    {
        "SIGCHLD", "SIGCONT", "SIGURG", "SIGWINCH", // default action: ignore (or continue)
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", // default action: stop, which a sandboxed run does not support
    };

    private static readonly HashSet<string> Known = new(
    [
        "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV",
        "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN",
        "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
        "SIGRTMIN", "SIGRTMAX", .. Enumerable.Range(1, 15).Select(i => $"SIGRTMIN+{i}"), .. Enumerable.Range(1, 14).Select(i => $"SIGRTMAX-{i}"),
    ], StringComparer.Ordinal);

    public static bool IsKnown(string? signal) => signal is not null && Known.Contains(signal);

    /// <summary>Whether the signal ends a program that has no handler for it (so Codify kills the run).</summary>
    public static bool Ends(string signal) => !Harmless.Contains(signal);
}
