using System.Globalization;
using System.Text.Json;
using Codify.Contracts;
using Codify.Contracts.Sessions;

namespace Codify.ExecutionApi.Sessions;

/// <summary>A session hash read back: the public view, plus who owns it, which replica holds it and the cell under way.</summary>
public sealed record StoredSession(SessionInfo Info, string Client, string Replica, string? Cell = null)
{
    public static StoredSession From(string id, IReadOnlyDictionary<string, string> f)
    {
        var info = new SessionInfo
        {
            Id = id,
            Language = f.GetValueOrDefault(SessionFields.Language) ?? "",
            Limits = JsonSerializer.Deserialize<ExecutionLimits>(f.GetValueOrDefault(SessionFields.Limits) ?? "null", CodifyJson.Options)
                ?? new ExecutionLimits(0, 0, 0, 0, 0, 0),
            CreatedAt = SessionStore.ParseTime(f.GetValueOrDefault(SessionFields.CreatedAt)) ?? DateTimeOffset.MinValue,
            ExpiresAt = SessionStore.ParseTime(f.GetValueOrDefault(SessionFields.ExpiresAt)) ?? DateTimeOffset.MinValue,
            IdleTimeoutSeconds = int.TryParse(f.GetValueOrDefault(SessionFields.IdleTimeoutSeconds), CultureInfo.InvariantCulture, out var idle) ? idle : 0,
            Status = Enum.TryParse<SessionStatus>(f.GetValueOrDefault(SessionFields.Status), ignoreCase: true, out var status) ? status : SessionStatus.Ended,
            LastActivityAt = SessionStore.ParseTime(f.GetValueOrDefault(SessionFields.LastActivityAt)),
            Cells = int.TryParse(f.GetValueOrDefault(SessionFields.Cells), CultureInfo.InvariantCulture, out var cells) ? cells : 0,
            EndReason = f.GetValueOrDefault(SessionFields.EndReason),
        };
        return new StoredSession(info, f.GetValueOrDefault(SessionFields.Client) ?? "", f.GetValueOrDefault(SessionFields.Replica) ?? "",
            f.GetValueOrDefault(SessionFields.Cell));
    }
}
