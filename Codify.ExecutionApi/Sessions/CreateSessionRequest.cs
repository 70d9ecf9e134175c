using Codify.ExecutionApi.Limits;

namespace Codify.ExecutionApi.Sessions;

/// <summary>Body of <c>POST /api/sessions</c>.</summary>
public sealed record CreateSessionRequest
{
    /// <summary><c>python</c> or <c>javascript</c> (aliases as for executions).</summary>
    public string? Language { get; init; }

    /// <summary>
    /// Limits as for an execution. Wall, CPU and output apply to each cell (a cell may ask for its own timeout); memory,
    /// processes and file size hold for the whole session (one cgroup for its whole life).
    /// </summary>
    public RequestedLimits? Limits { get; init; }

    /// <summary>The session ends this many seconds after its last cell or file operation (default Sessions:DefaultIdleTimeoutSeconds).</summary>
    public int? IdleTimeoutSeconds { get; init; }
}

/// <summary>Body of <c>POST /api/sessions/{id}/execute</c>: one cell.</summary>
public sealed record ExecuteCellRequest
{
    public string? Code { get; init; }

    /// <summary>Standard input of this cell (python: read from sys.stdin; node: not supported).</summary>
    public string? Stdin { get; init; }

    /// <summary>This cell's wall-clock limit in seconds (default: the session's).</summary>
    public double? Timeout { get; init; }
}
