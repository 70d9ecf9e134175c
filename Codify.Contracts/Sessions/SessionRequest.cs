using System.Text.Json.Serialization;

namespace Codify.Contracts.Sessions;

/// <summary>What the API asks of the replica that holds a session (besides cells, which are execution jobs).</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<SessionRequestKind>))]
public enum SessionRequestKind
{
    Start,
    Close,
    PutFile,
    GetFile,
    ListFiles,
}

/// <summary>
/// One request on a replica's session stream (<see cref="RedisKeys.SessionRequests"/>), answered with a
/// <see cref="SessionReply"/> at <see cref="RedisKeys.SessionReply"/>. <see cref="Data"/> is a file's bytes, base64.
/// </summary>
public sealed record SessionRequest(SessionRequestKind Kind, string RequestId, string SessionId)
{
    public string? Path { get; init; }
    public string? Data { get; init; }

    /// <summary>The API's caps for file operations (Sessions:MaxFileBytes, Sessions:MaxFiles), applied inside the sandbox.</summary>
    public long MaxBytes { get; init; }

    public int MaxFiles { get; init; }
}

/// <summary>
/// The replica's answer. <see cref="Error"/> is set when it failed: <see cref="SessionReplyErrors"/> names the kind,
/// <see cref="Detail"/> the words for the client.
/// </summary>
public sealed record SessionReply
{
    public string? Error { get; init; }
    public string? Detail { get; init; }
    public string? Data { get; init; }
    public long? Size { get; init; }
    public IReadOnlyList<SessionFile>? Files { get; init; }
}

/// <summary>The error kinds of a <see cref="SessionReply"/>.</summary>
public static class SessionReplyErrors
{
    /// <summary>The replica holds no such live session (ended, expired, or never started there).</summary>
    public const string Gone = "gone";

    /// <summary>The replica holds as many sessions as it may (Sessions:MaxSessionsPerReplica).</summary>
    public const string Full = "full";

    /// <summary>A cell runs in the session: one thing at a time.</summary>
    public const string Busy = "busy";

    /// <summary>No such file (or not a regular file: a symlink, a folder) in the session's work dir.</summary>
    public const string NotFound = "not_found";

    /// <summary>The file operation was refused inside the sandbox (too big, no space, a symlink in the way).</summary>
    public const string Refused = "refused";

    /// <summary>The session's sandbox could not be started or failed.</summary>
    public const string Failed = "failed";
}
