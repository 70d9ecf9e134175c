using System.Text.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Sockets;

namespace Codify.ExecutionApi.Piston.Connect;

/// <summary>
/// The sending side of one <c>/api/v2/connect</c> socket, in Piston's terms: messages go through the shared
/// <see cref="SocketOutbox"/> (bounded, one writer); a close sends what is queued first. The first close wins and
/// every client message after it is ignored.
/// </summary>
public sealed class PistonConnection(SocketOutbox outbox)
{
    private int _closing;

    public bool IsClosing => Volatile.Read(ref _closing) == 1;

    /// <summary>Queues one message; false once the connection is closing (the caller stops producing).</summary>
    public async ValueTask<bool> SendAsync(PistonServerMessage message, CancellationToken cancellationToken) =>
        !IsClosing && await outbox.EnqueueAsync(JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(), CodifyJson.Options), cancellationToken);

    /// <summary>Closes with <paramref name="close"/> after what is queued; false if the connection was already closing.</summary>
    public bool Close(PistonClose close)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
        {
            return false;
        }

        outbox.Complete(close.Status, close.Reason);
        return true;
    }

    /// <summary>Piston's way with every failure: an <c>error</c> message that says why, then the close (4002 unless given).</summary>
    public async Task FailAsync(string message, PistonClose? close = null)
    {
        if (await SendAsync(new PistonErrorMessage(message), CancellationToken.None))
        {
            Close(close ?? PistonClose.NotifiedError);
        }
    }
}
