using System.Text.Json.Serialization;

namespace Codify.Contracts.Sessions;

/// <summary>
/// A session's life: <c>starting</c> (its sandbox is being started on a replica), <c>ready</c> (cells and file operations
/// are taken), <c>ended</c> (closed, expired, killed by a limit or lost with its replica; <see cref="SessionInfo.EndReason"/> says which).
/// </summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<SessionStatus>))]
public enum SessionStatus
{
    Starting,
    Ready,
    Ended,
}

public static class SessionStatusExtensions
{
    /// <summary>The name stored in Redis and sent on the wire.</summary>
    public static string ToWire(this SessionStatus status) => status.ToString().ToLowerInvariant();
}
