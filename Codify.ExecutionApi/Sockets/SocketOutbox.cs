using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Codify.Contracts;

namespace Codify.ExecutionApi.Sockets;

/// <summary>
/// The sending side of one WebSocket: a bounded queue and the one task that writes it to the socket. Producers wait
/// only briefly: when the queue stays full the client is too slow, so the queued messages are dropped, it gets one
/// <c>overflow</c> message and the socket is closed (1008). A send or close that does not finish within
/// <see cref="SocketOptions.CloseTimeoutSeconds"/> after that (or after <see cref="Stop"/>) aborts the connection.
/// </summary>
public sealed class SocketOutbox : IDisposable
{
    public const string OverflowDescription = "send buffer overflow";

    private readonly WebSocket _socket;
    private readonly Channel<byte[]> _queue;
    private readonly int _capacity;
    private readonly TimeSpan _closeTimeout;
    private readonly TimeSpan _overflowGrace;
    private readonly Action _onOverflow;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeDescription = "";
    private int _overflowed;
    private bool _completing;

    public SocketOutbox(WebSocket socket, SocketOptions options, Action onOverflow)
    {
        _socket = socket;
        _onOverflow = onOverflow;
        _overflowGrace = TimeSpan.FromMilliseconds(options.OverflowGraceMilliseconds);
        _capacity = options.SendBufferMessages;
        _closeTimeout = TimeSpan.FromSeconds(options.CloseTimeoutSeconds);
        // Wait mode: a full queue makes producers wait (for the grace period at most), nothing is dropped silently.
        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(_capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _abort.Token.Register(socket.Abort);
        Completion = Task.Run(WriteAsync);
    }

    /// <summary>Ends when the connection's last frame is sent (or the connection is cut off).</summary>
    public Task Completion { get; }

    /// <summary>Fires when the connection is cut off; the reader stops then too.</summary>
    public CancellationToken Aborted => _abort.Token;

    public bool Overflowed => Volatile.Read(ref _overflowed) == 1;

    public ValueTask<bool> EnqueueAsync(SocketReply reply, CancellationToken cancellationToken) =>
        EnqueueAsync(JsonSerializer.SerializeToUtf8Bytes(reply, CodifyJson.Options), cancellationToken);

    public ValueTask<bool> EnqueueAsync(ExecutionEvent e, CancellationToken cancellationToken) =>
        EnqueueAsync(JsonSerializer.SerializeToUtf8Bytes(e, CodifyJson.Options), cancellationToken);

    /// <summary>
    /// Queues one text message; false when the connection is closing or overflowed (the caller stops producing). A full
    /// queue is waited on for at most <see cref="SocketOptions.OverflowGraceMilliseconds"/> (a burst, such as a replay,
    /// drains that fast to a client that reads); still full then, the client is too slow: overflow.
    /// </summary>
    public async ValueTask<bool> EnqueueAsync(byte[] message, CancellationToken cancellationToken)
    {
        if (_stop.IsCancellationRequested || Volatile.Read(ref _completing))
        {
            return false;
        }

        if (_queue.Writer.TryWrite(message))
        {
            return true;
        }

        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        grace.CancelAfter(_overflowGrace);
        try
        {
            await _queue.Writer.WriteAsync(message, grace.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (!_stop.IsCancellationRequested && Interlocked.Exchange(ref _overflowed, 1) == 0)
            {
                _onOverflow();
                Stop(WebSocketCloseStatus.PolicyViolation, OverflowDescription);
            }

            return false;
        }
        catch (ChannelClosedException)
        {
            return false; // Completed meanwhile.
        }
    }

    /// <summary>
    /// Accepts nothing more, sends what is queued, then closes with <paramref name="status"/>: a protocol's last word after
    /// its last message (<see cref="Stop"/> would drop what is queued).
    /// </summary>
    public void Complete(WebSocketCloseStatus status, string description)
    {
        lock (_gate)
        {
            if (_stop.IsCancellationRequested || _completing)
            {
                return;
            }

            (_closeStatus, _closeDescription) = (status, description);
            Volatile.Write(ref _completing, true);
            _queue.Writer.TryComplete();
        }

        _abort.CancelAfter(_closeTimeout);
    }

    /// <summary>Sends nothing more that is queued; closes with <paramref name="status"/> once the frame in flight is out.</summary>
    public void Stop(WebSocketCloseStatus status, string description)
    {
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            if (!_completing)
            {
                (_closeStatus, _closeDescription) = (status, description); // else the status given to Complete stands
            }

            _stop.Cancel();
        }

        _abort.CancelAfter(_closeTimeout);
    }

    public void Dispose()
    {
        _stop.Dispose();
        _abort.Dispose();
    }

    private async Task WriteAsync()
    {
        try
        {
            var reader = _queue.Reader;
            while (!_stop.IsCancellationRequested && await reader.WaitToReadAsync(_stop.Token))
            {
                while (!_stop.IsCancellationRequested && reader.TryRead(out var message))
                {
                    await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _abort.Token);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped: close below.
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            return; // The connection is gone: nothing more can be sent.
        }

        await CloseAsync();
    }

    private async Task CloseAsync()
    {
        try
        {
            if (Overflowed)
            {
                var overflow = SocketReply.Overflow(_capacity);
                await _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(overflow, CodifyJson.Options),
                    WebSocketMessageType.Text, endOfMessage: true, _abort.Token);
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(_closeStatus, _closeDescription, _abort.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Cut off while closing: nothing more to do.
        }
    }
}
