using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Sessions;
using Microsoft.Extensions.Options;
using SessionOptions = Codify.ExecutionApi.Sessions.SessionOptions;

namespace Codify.ExecutionApi.Apis;

public static partial class SessionsApi
{
    private static void MapFiles(RouteGroupBuilder api)
    {
        api.MapGet("/{id}/files", ListFilesAsync)
            .WithName("ListSessionFiles")
            .WithSummary("The regular files of the session's work dir, with their sizes.");
        api.MapPut("/{id}/files/{**path}", UploadFileAsync)
            .WithName("UploadSessionFile")
            .WithSummary("Write the request body as a file of the session's work dir (plain relative path; folders are created).");
        api.MapGet("/{id}/files/{**path}", DownloadFileAsync)
            .WithName("DownloadSessionFile")
            .WithSummary("Read a regular file of the session's work dir (never through a symlink).");
    }

    public static async Task<IResult> ListFilesAsync(string id, SessionService sessions, HttpContext http, CancellationToken cancellationToken) =>
        Reply(http, await sessions.ListFilesAsync(id, ClientIdentity.Of(http), cancellationToken));

    public static async Task<IResult> DownloadFileAsync(
        string id, string path, SessionService sessions, HttpContext http, CancellationToken cancellationToken) =>
        Reply(http, await sessions.DownloadFileAsync(id, Slashes(path), ClientIdentity.Of(http), cancellationToken));

    public static async Task<IResult> UploadFileAsync(
        string id, string path, SessionService sessions, IOptions<SessionOptions> options, HttpContext http, CancellationToken cancellationToken)
    {
        // Read one byte past the cap: a bigger body is refused by its size, not truncated into a smaller file.
        var max = options.Value.MaxFileBytes;
        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            body.Write(buffer, 0, read);
            if (body.Length > max)
            {
                break;
            }
        }

        return Reply(http, await sessions.UploadFileAsync(id, Slashes(path), body.GetBuffer().AsMemory(0, (int)body.Length), ClientIdentity.Of(http), cancellationToken));
    }

    /// <summary>
    /// The router decodes a catch-all value except its escaped slashes: "..%2Fx" would reach the checks as one odd name
    /// instead of the "../x" the client wrote. Decoded here, so the path checks judge what the client meant.
    /// </summary>
    private static string Slashes(string path) => path.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
}
