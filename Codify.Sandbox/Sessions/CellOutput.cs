using System.Text;
using Codify.Contracts;
using Codify.Sandbox.Supervision;

namespace Codify.Sandbox.Sessions;

/// <summary>
/// One cell's stdout and stderr under one byte budget (the cell's output limit), as the kernel forwards them, and its rich
/// outputs (capped in count and bytes). Past the budget text is dropped and the stream marked truncated.
/// </summary>
internal sealed class CellOutput(long budgetBytes, OutputChunkHandler? onChunk)
{
    /// <summary>Rich outputs one cell keeps.</summary>
    public const int MaxOutputs = 32;

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

    /// <summary>The kernel's rich outputs, each kept only if its type and data are text and it fits the remaining budget.</summary>
    public IReadOnlyList<RichOutput>? Rich(System.Text.Json.JsonElement frame)
    {
        if (!frame.TryGetProperty("outputs", out var outputs) || outputs.ValueKind != System.Text.Json.JsonValueKind.Array)
        {
            return null;
        }

        var kept = new List<RichOutput>();
        foreach (var output in outputs.EnumerateArray().Take(MaxOutputs))
        {
            if (output.ValueKind == System.Text.Json.JsonValueKind.Object
                && output.TryGetProperty("type", out var type) && type.ValueKind == System.Text.Json.JsonValueKind.String
                && output.TryGetProperty("data", out var data) && data.ValueKind == System.Text.Json.JsonValueKind.String
                && Encoding.UTF8.GetByteCount(data.GetString()!) is var size && size <= _remaining)
            {
                _remaining -= size;
                kept.Add(new RichOutput(type.GetString()!, data.GetString()!));
            }
        }

        return kept.Count > 0 ? kept : null;
    }

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
