using System.Text;
using System.Text.Json;
using Codify.Contracts;
using Codify.Sandbox.Capture;
using Codify.Sandbox.Supervision;

namespace Codify.Sandbox.Sessions;

/// <summary>
/// One cell's stdout and stderr under one byte budget (the cell's output limit), as the kernel forwards them, and its rich
/// outputs (under the Capture caps, like a run's). Past the budget text is dropped and the stream marked truncated.
/// </summary>
internal sealed class CellOutput(long budgetBytes, OutputChunkHandler? onChunk)
{
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private long _remaining = budgetBytes;

    public bool StdoutTruncated { get; private set; }

    public bool StderrTruncated { get; private set; }

    public bool Exceeded => StdoutTruncated || StderrTruncated;

    public string Stdout => _stdout.ToString();

    public string Stderr => _stderr.ToString();

    /// <returns>false once the budget is spent (the cell is then stopped).</returns>
    public bool Add(bool isStdout, string text)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        var kept = bytes <= _remaining ? text : Prefix(text, _remaining);
        _remaining -= Encoding.UTF8.GetByteCount(kept);
        (isStdout ? _stdout : _stderr).Append(kept);
        if (kept.Length > 0)
        {
            onChunk?.Invoke(isStdout ? OutputSource.Stdout : OutputSource.Stderr, kept);
        }

        if (kept.Length == text.Length)
        {
            return true;
        }

        if (isStdout)
        {
            StdoutTruncated = true;
        }
        else
        {
            StderrTruncated = true;
        }

        return false;
    }

    /// <summary>
    /// The kernel's rich outputs (figures shown, the last value, figures left open) under the Capture caps, checked by the
    /// same rule as a run's channel: the kernel shares its process with the program, so the frame is the program's word.
    /// </summary>
    public static (IReadOnlyList<RichOutput>? Outputs, bool? Truncated) Rich(JsonElement frame, CaptureOptions caps)
    {
        if (!frame.TryGetProperty("outputs", out var outputs) || outputs.ValueKind != JsonValueKind.Array)
        {
            return (null, null);
        }

        var cap = new RichOutputCap(caps);
        foreach (var output in outputs.EnumerateArray())
        {
            if (output.ValueKind == JsonValueKind.Object
                && RichOutputCap.Checked(Text(output, "type"), Text(output, "data")) is { } checkedOutput)
            {
                cap.Offer(checkedOutput);
            }
        }

        return (cap.Kept.Count > 0 ? cap.Kept : null, cap.Cut ? true : null);
    }

    private static string? Text(JsonElement output, string property) =>
        output.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Prefix(string text, long bytes)
    {
        var chars = 0;
        long used = 0;
        while (chars < text.Length)
        {
            var width = char.IsHighSurrogate(text[chars]) && chars + 1 < text.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(chars, width));
            if (used + size > bytes)
            {
                break;
            }

            used += size;
            chars += width;
        }

        return text[..chars];
    }
}
