using Codify.Contracts;
using Codify.Contracts.Sessions;
using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Intake;

namespace Codify.ExecutionApi.Sessions;

/// <summary>
/// What <see cref="SessionService"/> decided. Every transport (REST, MCP) maps these to its own reply; none adds a rule.
/// </summary>
public abstract record SessionOutcome
{
    /// <summary>The client's standing in its rate-limit window, when the budget was consulted.</summary>
    public RateLimitDecision? RateLimit { get; init; }
}

/// <summary>The session as it stands (created, read, or closed).</summary>
public sealed record SessionFound(SessionInfo Session) : SessionOutcome;

/// <summary>A cell ran (or is still running when <see cref="ExecutionRecord.Status"/> is not terminal: poll its record).</summary>
public sealed record CellRan(ExecutionRecord Cell, SessionInfo Session) : SessionOutcome;

/// <summary>One file's bytes.</summary>
public sealed record SessionFileRead(string Path, byte[] Content) : SessionOutcome;

/// <summary>A file was written.</summary>
public sealed record SessionFileWritten(SessionFile File) : SessionOutcome;

/// <summary>The work dir's regular files.</summary>
public sealed record SessionFilesListed(IReadOnlyList<SessionFile> Files) : SessionOutcome;

/// <summary>The intake refused or found the request invalid (budget, judge, no sandbox, Redis): its own outcome, mapped as for executions.</summary>
public sealed record SessionNotAdmitted(IntakeOutcome Why) : SessionOutcome;

/// <summary>
/// Anything else that stopped the request: <see cref="Reason"/> is one of <see cref="SessionProblemReasons"/>; HTTP status,
/// title and detail are for the client; <see cref="Errors"/> names fields for 400s; <see cref="RetryAfterSeconds"/> for 503s.
/// </summary>
public sealed record SessionProblem(string Reason, int StatusCode, string Title, string Detail) : SessionOutcome
{
    public Dictionary<string, string[]>? Errors { get; init; }
    public int? RetryAfterSeconds { get; init; }
    public SessionInfo? Session { get; init; }
}
