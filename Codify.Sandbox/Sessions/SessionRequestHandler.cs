using System.Text.Json;
using Codify.Contracts;
using Codify.Contracts.Sessions;

namespace Codify.Sandbox.Sessions;

/// <summary>Answers one request from the API about a session this replica holds (start, close, files).</summary>
internal sealed partial class SessionRequestHandler(SessionHost host, SessionRecords records, TimeProvider time, ILogger<SessionRequestHandler> logger)
{
    /// <summary>How long the kernel has to answer a file operation before the session is judged broken.</summary>
    private static readonly TimeSpan FileTimeout = TimeSpan.FromSeconds(15);

    public async Task HandleAsync(string json)
    {
        SessionRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<SessionRequest>(json, CodifyJson.Options);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null || string.IsNullOrEmpty(request.RequestId))
        {
            return; // not one of ours: nobody waits for an answer
        }

        SessionReply reply;
        try
        {
            reply = await AnswerAsync(request);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            LogFailed(logger, request.SessionId, e);
            reply = new SessionReply { Error = SessionReplyErrors.Failed, Detail = e.Message };
        }

        await records.ReplyAsync(request.RequestId, reply);
    }

    private async Task<SessionReply> AnswerAsync(SessionRequest request)
    {
        if (request.Kind == SessionRequestKind.Start)
        {
            return await host.StartAsync(request.SessionId);
        }

        if (host.Find(request.SessionId) is not { } session)
        {
            return new SessionReply { Error = SessionReplyErrors.Gone, Detail = "the session has ended" };
        }

        if (request.Kind == SessionRequestKind.Close)
        {
            await host.EndAsync(session, SessionEndReasons.Closed);
            return new SessionReply();
        }

        // One thing at a time: a file operation while a cell runs is refused, not queued behind it.
        if (!await session.Gate.WaitAsync(0))
        {
            return new SessionReply { Error = SessionReplyErrors.Busy, Detail = "a cell is running" };
        }

        SessionReply reply;
        try
        {
            reply = await SessionFiles.AskAsync(session, FileRequest(request), FileTimeout);
            session.LastActivity = time.GetUtcNow();
        }
        finally
        {
            session.Gate.Release();
        }

        if (reply.Error == SessionReplyErrors.Failed)
        {
            await host.EndAsync(session, $"{reply.Detail}; the session's interpreter was killed");
        }
        else
        {
            await records.TouchAsync(request.SessionId);
        }

        return reply;
    }

    private static object FileRequest(SessionRequest request) => request.Kind switch
    {
        SessionRequestKind.PutFile => new { op = "put", path = request.Path, data = request.Data, maxFiles = request.MaxFiles },
        SessionRequestKind.GetFile => new { op = "get", path = request.Path, maxBytes = request.MaxBytes },
        _ => new { op = "list", maxFiles = request.MaxFiles },
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: a request failed")]
    private static partial void LogFailed(ILogger logger, string sessionId, Exception exception);
}
