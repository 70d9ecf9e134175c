using System.Threading.Channels;
using Codify.Contracts.Sessions;

namespace Codify.Sandbox.Sessions;

/// <summary>
/// File operations of a session, done by its kernel inside the sandbox: the host never opens a path in the session's work
/// dir (a symlink the program planted would lead the host, with the host's rights, anywhere: Judge0 CVE-2024-28185/28189).
/// The kernel walks the path from /box one component at a time without following symlinks.
/// </summary>
internal static class SessionFiles
{
    /// <summary>Asks the kernel and returns its reply; a kernel that does not answer within <paramref name="timeout"/> ends the session.</summary>
    public static async Task<SessionReply> AskAsync(KernelSession session, object request, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(session);
        await session.Channel.SendAsync(request);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var frame = await session.Channel.Received.ReadAsync(deadline.Token);
                if (frame.Type != "reply")
                {
                    continue; // output of a background thread or process: not this request's
                }

                return new SessionReply
                {
                    Error = frame.Text("error"),
                    Detail = frame.Text("detail"),
                    Data = frame.Text("data"),
                    Size = frame.Number("size"),
                    Files = Files(frame),
                };
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            return new SessionReply { Error = SessionReplyErrors.Failed, Detail = "the session's interpreter did not answer the file operation" };
        }
    }

    private static List<SessionFile>? Files(KernelFrame frame)
    {
        if (!frame.Body.TryGetProperty("files", out var files) || files.ValueKind != System.Text.Json.JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<SessionFile>();
        foreach (var file in files.EnumerateArray())
        {
            if (file.ValueKind == System.Text.Json.JsonValueKind.Object
                && file.TryGetProperty("path", out var path) && path.ValueKind == System.Text.Json.JsonValueKind.String
                && file.TryGetProperty("size", out var size) && size.ValueKind == System.Text.Json.JsonValueKind.Number && size.TryGetInt64(out var bytes))
            {
                list.Add(new SessionFile(path.GetString()!, bytes));
            }
        }

        return list;
    }
}
