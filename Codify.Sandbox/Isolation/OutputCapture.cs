using System.Text;

namespace Codify.Sandbox.Isolation;

/// <summary>
/// Collects stdout and stderr under one shared byte budget. Bytes past the budget are dropped,
/// the stream is flagged truncated and <see cref="BudgetExceeded"/> fires once, so the run can be killed.
/// </summary>
public sealed class OutputCapture(long budgetBytes) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly MemoryStream _stdout = new();
    private readonly MemoryStream _stderr = new();
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
                return;
            }
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
