using Codify.Sandbox.Cgroups;

namespace Codify.Sandbox.Supervision;

/// <summary>
/// A started run as the supervisor sees it: its three pipes, its cgroup, how it ends. A cold or warm sandbox is a host
/// process (<see cref="Launch.StartedSandbox"/>); a forked run's exit status comes from its fork server instead of waitpid.
/// </summary>
internal interface ISupervisedRun
{
    /// <summary>For logs: the host pid of the run's first process, or 0 when the host never waits for it itself.</summary>
    int Id { get; }

    Stream Stdin { get; }

    Stream Stdout { get; }

    Stream Stderr { get; }

    ICgroupRun Cgroup { get; }

    /// <summary>The run's launch-wrapper failure marker; empty when nothing but the program writes to its stderr.</summary>
    string FailureMarker { get; }

    /// <summary>Valid once <see cref="WaitForExitAsync"/> completed: the code bwrap would report (128 + N for signal N).</summary>
    int ExitCode { get; }

    /// <summary>The host folder holding the run's capture channel (rich outputs, returned files); null when the run cannot capture.</summary>
    string? CaptureFolder { get; }

    /// <summary>Set when the run ended because what carried it went away (its fork server died): no exit status of its own.</summary>
    string? Lost { get; }

    Task WaitForExitAsync(CancellationToken cancellationToken);

    /// <summary>Closes the program's stdin (EOF).</summary>
    void CloseStdin();

    /// <summary>Kills what the cgroup kill cannot reach (a host process tree); no-op when the cgroup holds the whole run.</summary>
    void KillTree();
}
