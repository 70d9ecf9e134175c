using System.Net;
using System.Net.Sockets;

namespace Codify.Tests.Infrastructure;

/// <summary>HTTP clients whose connections leave from a chosen loopback address, so one machine can play several clients.</summary>
public static class LoopbackClient
{
    /// <summary>
    /// A client for <paramref name="baseAddress"/> whose connections are bound to <paramref name="local"/> (e.g. 127.0.0.2)
    /// and always go to 127.0.0.1 on the base address's port, whatever host name the address carries.
    /// </summary>
    public static HttpClient From(IPAddress local, Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress };
    }
}
