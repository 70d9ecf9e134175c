namespace Codify.ExecutionApi.Sessions;

/// <summary>The reasons of <see cref="SessionProblem"/>, one place for their words and statuses.</summary>
public static class SessionProblemReasons
{
    public const string NotFound = "not_found";
    public const string Ended = "ended";
    public const string Busy = "busy";
    public const string TooManySessions = "too_many_sessions";
    public const string InvalidPath = "invalid_path";
    public const string TooLarge = "too_large";
    public const string FileNotFound = "file_not_found";
    public const string FileRefused = "file_refused";
    public const string ReplicaUnavailable = "replica_unavailable";
    public const string Failed = "failed";

    public static SessionProblem SessionNotFound(string id) => new(NotFound, StatusCodes.Status404NotFound, "Session not found",
        $"No session '{id}' exists for this client (never created, another client's, or expired from the store).");

    public static SessionProblem SessionEnded(Contracts.Sessions.SessionInfo session) => new(Ended, StatusCodes.Status409Conflict,
        "Session ended", $"Session '{session.Id}' has ended: {session.EndReason}. Create a new one.")
    { Session = session };

    public static SessionProblem SessionBusy(string id) => new(Busy, StatusCodes.Status409Conflict, "Session busy",
        $"A cell is running in session '{id}': one cell (or file operation) at a time. Retry once it has ended.");

    public static SessionProblem TooMany(int max) => new(TooManySessions, StatusCodes.Status429TooManyRequests, "Too many sessions",
        $"This client already holds {max} open sessions (Sessions:MaxSessionsPerClient); close one (DELETE /api/sessions/{{id}}) first.")
    { RetryAfterSeconds = 1 };

    public static SessionProblem Unavailable(string detail) => new(ReplicaUnavailable, StatusCodes.Status503ServiceUnavailable,
        "Session sandbox unavailable", detail)
    { RetryAfterSeconds = Admission.RetryAfter.UnavailableSeconds };

    public static SessionProblem Invalid(string field, string message) => new(InvalidPath, StatusCodes.Status400BadRequest,
        "The session request is invalid.", message)
    { Errors = new() { [field] = [message] } };
}
