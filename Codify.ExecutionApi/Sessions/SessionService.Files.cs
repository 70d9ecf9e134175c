using Codify.Contracts.Sessions;

namespace Codify.ExecutionApi.Sessions;

public sealed partial class SessionService
{
    /// <summary>Writes <paramref name="content"/> at <paramref name="path"/> in the session's work dir (folders created as needed).</summary>
    public async Task<SessionOutcome> UploadFileAsync(string id, string path, ReadOnlyMemory<byte> content, string client, CancellationToken cancellationToken)
    {
        if (content.Length > Options.MaxFileBytes)
        {
            return TooLarge(Options.MaxFileBytes);
        }

        var request = new SessionRequest(SessionRequestKind.PutFile, NewId(), id) { Path = path, Data = Convert.ToBase64String(content.Span) };
        var (reply, problem) = await AskAsync(id, path, request, client, cancellationToken);
        return problem ?? new SessionFileWritten(new SessionFile(path, reply!.Size ?? content.Length));
    }

    /// <summary>Reads the regular file at <paramref name="path"/>, as the sandbox sees it (never through a symlink).</summary>
    public async Task<SessionOutcome> DownloadFileAsync(string id, string path, string client, CancellationToken cancellationToken)
    {
        var request = new SessionRequest(SessionRequestKind.GetFile, NewId(), id) { Path = path };
        var (reply, problem) = await AskAsync(id, path, request, client, cancellationToken);
        return problem ?? new SessionFileRead(path, Convert.FromBase64String(reply!.Data ?? ""));
    }

    /// <summary>The regular files of the work dir with their sizes (symlinks and special files are not listed).</summary>
    public async Task<SessionOutcome> ListFilesAsync(string id, string client, CancellationToken cancellationToken)
    {
        var request = new SessionRequest(SessionRequestKind.ListFiles, NewId(), id);
        var (reply, problem) = await AskAsync(id, path: null, request, client, cancellationToken);
        return problem ?? new SessionFilesListed(reply!.Files ?? []);
    }

    private async Task<(SessionReply? Reply, SessionOutcome? Problem)> AskAsync(
        string id, string? path, SessionRequest request, string client, CancellationToken cancellationToken)
    {
        if (path is not null && SessionPaths.Refusal(path, Options.MaxPathBytes) is { } refusal)
        {
            return (null, SessionProblemReasons.Invalid(SessionPaths.Field, refusal));
        }

        var (session, problem) = await LoadAsync(id, client);
        if (problem is not null || session!.Info.Status != SessionStatus.Ready)
        {
            return (null, problem ?? NotReady(session!.Info));
        }

        request = request with { MaxBytes = Options.MaxFileBytes, MaxFiles = Options.MaxFiles };
        var reply = await courier.AskAsync(session.Replica, request, ReplyTimeout, cancellationToken);
        return reply switch
        {
            null => (null, SessionProblemReasons.Unavailable($"The session's sandbox replica did not answer within {Options.ReplyTimeoutSeconds} s.")),
            { Error: null } => (reply, null),
            { Error: SessionReplyErrors.Busy } => (null, SessionProblemReasons.SessionBusy(id)),
            { Error: SessionReplyErrors.Gone } => (null, NotReady((await store.GetAsync(id))?.Info ?? session.Info with { Status = SessionStatus.Ended })),
            { Error: SessionReplyErrors.NotFound } => (null, new SessionProblem(SessionProblemReasons.FileNotFound, StatusCodes.Status404NotFound,
                "File not found", reply.Detail ?? $"No regular file '{path}' in the session's work dir.")),
            { Error: SessionReplyErrors.Refused } => (null, FileRefused(reply.Detail)),
            _ => (null, new SessionProblem(SessionProblemReasons.Failed, StatusCodes.Status500InternalServerError, "Session operation failed",
                reply.Detail ?? "The session's sandbox could not do it.")),
        };
    }

    private SessionProblem FileRefused(string? detail) =>
        detail is not null && detail.StartsWith("too_large", StringComparison.Ordinal)
            ? TooLarge(Options.MaxFileBytes)
            : new(SessionProblemReasons.FileRefused, StatusCodes.Status422UnprocessableEntity, "File operation refused",
                detail ?? "The sandbox refused the file operation.");

    private static SessionProblem TooLarge(long max) => new(SessionProblemReasons.TooLarge, StatusCodes.Status413PayloadTooLarge,
        "File too large", $"The file is larger than the limit of {max} bytes (Sessions:MaxFileBytes).")
    { Errors = new() { ["file"] = [$"at most {max} bytes (Sessions:MaxFileBytes)"] } };
}
