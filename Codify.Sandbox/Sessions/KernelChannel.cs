using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Codify.Contracts;

namespace Codify.Sandbox.Sessions;

/// <summary>
/// The host's end of a kernel's control pipes: requests written to its stdin, frames read from its stdout (8 hex digits
/// of length, then UTF-8 JSON). A frame that breaks the format (bad length, over <c>maxFrameBytes</c>, not JSON) ends the
/// reading with <see cref="Violation"/> set: the session is ended, the service goes on.
/// </summary>
internal sealed class KernelChannel
{
    private readonly Stream _requests;
    private readonly Stream _frames;
    private readonly long _maxFrameBytes;
    private readonly Channel<(KernelFrame Frame, long Bytes)> _received = Channel.CreateUnbounded<(KernelFrame, long)>(new() { SingleWriter = true });
    private readonly Channel<bool> _taken = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _queuedBytes;
    private long _partialFrameBytes;

    public KernelChannel(Stream requests, Stream frames, long maxFrameBytes)
    {
        _requests = requests;
        _frames = frames;
        _maxFrameBytes = maxFrameBytes;
        Received = new Taker(this);
        Reading = Task.Run(ReadLoopAsync);
    }

    /// <summary>
    /// Bytes of frames read and not yet taken that the host holds before it stops reading the kernel's pipe (then the
    /// kernel's writes block). One frame is always read whole, so the most held is one largest frame plus this.
    /// </summary>
    public const long QueueBudgetBytes = 1 << 20;

    /// <summary>Charged per frame besides its payload (its parsed form's overhead): a flood of tiny frames is bounded too.</summary>
    private const long FrameOverheadBytes = 256;

    /// <summary>Frames in arrival order; completed when the kernel's stdout closes (it exited or was killed) or broke the format.</summary>
    public ChannelReader<KernelFrame> Received { get; }

    /// <summary>Bytes of the frames read and not yet taken (payload plus overhead).</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Bytes the host holds for the frame it is reading now (0 between frames).</summary>
    public long PartialFrameBytes => Interlocked.Read(ref _partialFrameBytes);

    public Task Reading { get; }

    /// <summary>Why reading stopped early: the kernel (or the program in its process) wrote something that is not a frame.</summary>
    public string? Violation { get; private set; }

    /// <summary>Writes one request. One writer at a time: the session's gate holds one cell or file operation, whose own requests are sequential.</summary>
    public async Task SendAsync(object request)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(request, CodifyJson.Options);
        var header = Encoding.ASCII.GetBytes(payload.Length.ToString("x8", CultureInfo.InvariantCulture));
        try
        {
            await _requests.WriteAsync(header);
            await _requests.WriteAsync(payload);
            await _requests.FlushAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The kernel is gone: its frames channel completes, and the caller learns it there.
        }
    }

    private async Task ReadLoopAsync()
    {
        var header = new byte[8];
        try
        {
            while (true)
            {
                // Stops a thread left flooding (or forging frames) between cells from growing the host's queue without end.
                while (QueuedBytes > QueueBudgetBytes)
                {
                    await _taken.Reader.ReadAsync();
                }

                if (!await ReadExactAsync(header))
                {
                    return;
                }

                if (!long.TryParse(Encoding.ASCII.GetString(header), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var length)
                    || length < 2 || length > _maxFrameBytes)
                {
                    Violation = $"the kernel sent a malformed frame header (length over {_maxFrameBytes} bytes or not hex)";
                    return;
                }

                if (await ReadPayloadAsync((int)length) is not { } payload)
                {
                    return;
                }

                using var json = JsonDocument.Parse(payload);
                if (json.RootElement.ValueKind != JsonValueKind.Object
                    || !json.RootElement.TryGetProperty("t", out var type) || type.ValueKind != JsonValueKind.String)
                {
                    Violation = "the kernel sent a frame without a type";
                    return;
                }

                Interlocked.Add(ref _queuedBytes, length + FrameOverheadBytes);
                _received.Writer.TryWrite((new KernelFrame(type.GetString()!, json.RootElement.Clone()), length + FrameOverheadBytes));
            }
        }
        catch (JsonException)
        {
            Violation = "the kernel sent a frame that is not JSON";
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe broke: the kernel is gone.
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }

    /// <summary>
    /// The frame's bytes, in a buffer that grows with what has arrived (doubling from 64 KiB): a header alone, or a frame
    /// sent slowly, holds the host's memory in proportion to the bytes really sent, never to the length it claims (a cell
    /// writing "04000000" on the kernel's pipe would otherwise pin 64 MiB per session).
    /// </summary>
    private async Task<byte[]?> ReadPayloadAsync(int length)
    {
        var buffer = new byte[Math.Min(length, InitialPayloadBytes)];
        Interlocked.Exchange(ref _partialFrameBytes, buffer.Length);
        var read = 0;
        while (read < length)
        {
            if (read == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(length, 2L * buffer.Length));
                Interlocked.Exchange(ref _partialFrameBytes, buffer.Length);
            }

            var n = await _frames.ReadAsync(buffer.AsMemory(read));
            if (n == 0)
            {
                return null;
            }

            read += n;
        }

        Interlocked.Exchange(ref _partialFrameBytes, 0);
        return buffer;
    }

    private const int InitialPayloadBytes = 64 << 10;

    private async Task<bool> ReadExactAsync(byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _frames.ReadAsync(buffer.AsMemory(read));
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    /// <summary>Hands frames out and gives their bytes back to the budget, waking the reading loop if it waits for room.</summary>
    private sealed class Taker(KernelChannel channel) : ChannelReader<KernelFrame>
    {
        public override Task Completion => channel._received.Reader.Completion;

        public override bool TryRead([System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out KernelFrame item)
        {
            if (!channel._received.Reader.TryRead(out var queued))
            {
                item = null;
                return false;
            }

            Interlocked.Add(ref channel._queuedBytes, -queued.Bytes);
            channel._taken.Writer.TryWrite(true);

            item = queued.Frame;
            return true;
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
            channel._received.Reader.WaitToReadAsync(cancellationToken);
    }
}
