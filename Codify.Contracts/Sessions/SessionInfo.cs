namespace Codify.Contracts.Sessions;

/// <summary>
/// The public view of one session: what <c>POST /api/sessions</c> answers and <c>GET /api/sessions/{id}</c> reads.
/// <see cref="Limits"/> are the per-cell defaults (wall, CPU, output) and the session-wide caps (memory, processes,
/// file size) that hold over its whole life.
/// </summary>
public sealed record SessionInfo
{
    public required string Id { get; init; }
    public required string Language { get; init; }
    public required ExecutionLimits Limits { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the session ends whatever it does (Sessions:MaxLifetimeSeconds after creation).</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The session ends this long after its last cell or file operation.</summary>
    public required int IdleTimeoutSeconds { get; init; }

    public required SessionStatus Status { get; init; }

    /// <summary>When the last cell or file operation ended (or the session started).</summary>
    public DateTimeOffset? LastActivityAt { get; init; }

    /// <summary>How many cells the session has run.</summary>
    public int Cells { get; init; }

    /// <summary>Why an <c>ended</c> session ended: closed, idle, lifetime, a limit, its replica lost.</summary>
    public string? EndReason { get; init; }
}
