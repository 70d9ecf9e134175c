using System.Text;
using System.Text.Json;
using Codify.Contracts;

namespace Codify.Sandbox.Capture;

/// <summary>
/// Reads a run's capture channel back into its result. The program runs in the process that writes the records, so it
/// can write anything there: the host reads at most a bounded prefix, keeps only well-formed records of known types,
/// never trusts a size or a name it did not check, and applies the caps itself. A forged record can only ever be the
/// program's own output, in its own result; it never becomes stdout and never reaches another run.
/// </summary>
internal static class CaptureReader
{
    public static ExecutionResult Attach(ExecutionResult result, string channelFile, ExecutionSpec spec, CaptureOptions caps)
    {
        var (lines, cut) = ReadBounded(channelFile, caps.ChannelReadBytes);
        var outputs = new RichOutputCap(caps) { Cut = cut };
        var files = new List<ReturnedFile>();
        var fileBytes = 0L;
        var filesCut = cut;
        var programFiles = Languages.Find(spec.Language) is { } language
            ? spec.ProgramFiles(language).Select(f => f.Name).ToHashSet(StringComparer.Ordinal) : [];
        foreach (var line in lines)
        {
            switch (Parse(line))
            {
                case RichOutput output when spec.Outputs:
                    outputs.Offer(output);
                    break;
                case ReturnedFile file when spec.ReturnFiles && !programFiles.Contains(file.Name):
                    var room = files.Count < caps.MaxFiles && fileBytes + file.Size <= caps.MaxFileBytes;
                    (filesCut, fileBytes) = room ? (filesCut, fileBytes + file.Size) : (true, fileBytes);
                    if (room)
                    {
                        files.Add(file);
                    }

                    break;
                case "output":
                    outputs.Cut = true;
                    break;
                case "file":
                    filesCut = true;
                    break;
            }
        }

        return result with
        {
            Outputs = spec.Outputs ? outputs.Kept : null,
            OutputsTruncated = spec.Outputs ? outputs.Cut : null,
            Files = spec.ReturnFiles ? files : null,
            FilesTruncated = spec.ReturnFiles ? filesCut : null,
        };
    }

    /// <summary>
    /// The channel's complete lines within <paramref name="limit"/> bytes, and whether anything was cut. The file is the
    /// host's own (see <see cref="Workspace.RunFolder.CreateChannel"/>): a bind mount the program cannot replace.
    /// </summary>
    private static (List<string> Lines, bool Cut) ReadBounded(string path, long limit)
    {
        byte[] buffer;
        int read;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            buffer = new byte[(int)Math.Min(limit + 1, Math.Max(0, file.Length))];
            read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (FileNotFoundException)
        {
            return ([], false); // a sandbox without a channel (node's outputs): nothing to return, nothing left out
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ([], true);
        }

        var cut = read > limit;
        var text = Encoding.UTF8.GetString(buffer, 0, (int)Math.Min(read, limit));
        var end = text.LastIndexOf('\n');
        // A record cut short (file-size limit, the run killed mid-write, or the read bound) is dropped, and says so.
        cut |= end < text.Length - 1;
        return (end < 0 ? [] : text[..end].Split('\n').ToList(), cut);
    }

    /// <summary>A checked record: a <see cref="RichOutput"/>, a <see cref="ReturnedFile"/>, a truncation notice ("output"/"file"), or null.</summary>
    private static object? Parse(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            return Text(root, "kind") switch
            {
                "output" => RichOutputCap.Checked(Text(root, "type"), Text(root, "data")),
                "file" when Text(root, "name") is { } name && ReturnedPath.IsSafe(name) && Text(root, "data") is { } content
                    && RichOutputCap.Base64Length(content) is { } size => new ReturnedFile(name, size, content),
                "truncated" => Text(root, "what"),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string property) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;
}
