using System.Text;

namespace Codify.Sandbox.Supervision;

/// <summary>
/// Collects stdout and stderr under one shared byte budget. Bytes past the budget are dropped,
/// the stream is flagged truncated and <see cref="BudgetExceeded"/> fires once, so the run can be killed.
/// Each kept chunk is also handed, decoded, to <paramref name="onChunk"/> as it arrives (called under the capture's lock,
/// so calls are in arrival order across both streams; it must not block).
/// </summary>
public sealed class OutputCapture(long budgetBytes, OutputChunkHandler? onChunk = null) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly MemoryStream _stdout = new();
    private readonly MemoryStream _stderr = new();
    // One decoder per stream: a UTF-8 character split across two reads is emitted whole with the later chunk.
    private readonly Decoder _stdoutDecoder = Encoding.UTF8.GetDecoder();
    private readonly Decoder _stderrDecoder = Encoding.UTF8.GetDecoder();
    private long _remaining = budgetBytes;

    public event Action? BudgetExceeded;

    public bool StdoutTruncated { get; private set; }

    public bool StderrTruncated { get; private set; }

    public bool Exceeded => StdoutTruncated || StderrTruncated;

    public string Stdout => Decode(_stdout);

    public string Stderr => Decode(_stderr);

    public Task PumpStdoutAsync(Stream source, CancellationToken cancellationToken) =>
        PumpAsync(source, isStdout: true, cancellationToken);

    public Task PumpStderrAsync(Stream source, CancellationToken cancellationToken) =>
        PumpAsync(source, isStdout: false, cancellationToken);

    private async Task PumpAsync(Stream source, bool isStdout, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (!Append(buffer.AsSpan(0, read), isStdout))
            {
                break;
            }
        }

        lock (_gate)
        {
            Emit([], isStdout, flush: true);
        }
    }

    private void Emit(ReadOnlySpan<byte> bytes, bool isStdout, bool flush)
    {
        if (onChunk is null)
        {
            return;
        }

        var decoder = isStdout ? _stdoutDecoder : _stderrDecoder;
        var chars = new char[decoder.GetCharCount(bytes, flush)];
        var count = decoder.GetChars(bytes, chars, flush);
        if (count > 0)
        {
            onChunk(isStdout ? OutputSource.Stdout : OutputSource.Stderr, new string(chars, 0, count));
        }
    }

    /// <returns>false once the budget is spent: the caller stops reading and the run is killed.</returns>
    private bool Append(ReadOnlySpan<byte> chunk, bool isStdout)
    {
        bool justExceeded;
        lock (_gate)
        {
            var target = isStdout ? _stdout : _stderr;
            var kept = (int)Math.Min(chunk.Length, _remaining);
            target.Write(chunk[..kept]);
            Emit(chunk[..kept], isStdout, flush: false);
            _remaining -= kept;
            if (kept == chunk.Length)
            {
                return true;
            }

            justExceeded = !Exceeded;
            if (isStdout)
            {
                StdoutTruncated = true;
            }
            else
            {
                StderrTruncated = true;
            }
        }

        if (justExceeded)
        {
            BudgetExceeded?.Invoke();
        }

        return false;
    }

    private string Decode(MemoryStream stream)
    {
        lock (_gate)
        {
            return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
        }
    }

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
    }
}

public enum OutputSource
{
    Stdout,
    Stderr,
}

/// <summary>Receives one decoded chunk of a program's output as it is produced.</summary>
public delegate void OutputChunkHandler(OutputSource source, string text);
