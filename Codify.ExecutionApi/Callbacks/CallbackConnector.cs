using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Callbacks;

/// <summary>A callback destination refused at connect time; never retried.</summary>
public sealed class CallbackRefusedException(string message) : Exception(message);

/// <summary>
/// The callback client's only way to open a connection (SocketsHttpHandler.ConnectCallback): it resolves the host
/// itself, refuses unless every address passes <see cref="CallbackAddressPolicy"/>, and connects only to those
/// addresses. A host that resolved to a public address at request time and to an internal one now (DNS rebinding)
/// is refused here.
/// </summary>
public sealed class CallbackConnector(IOptions<CallbackOptions> options, IHostAddressResolver resolver)
{
    public ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken) =>
        ConnectAsync(context.DnsEndPoint, cancellationToken);

    public async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var allowPrivate = options.Value.AllowPrivateNetworks;
        var addresses = await resolver.AddressesOfAsync(endpoint.Host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new CallbackRefusedException($"callback host '{endpoint.Host}' has no address");
        }

        if (HostAddresses.FirstRefused(addresses, allowPrivate) is { } refused)
        {
            throw new CallbackRefusedException($"callback host '{endpoint.Host}' resolves to {refused.Describe(allowPrivate)}");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            // Belt and braces: judge the peer actually reached, not only the addresses asked for.
            if (socket.RemoteEndPoint is not IPEndPoint peer || !CallbackAddressPolicy.IsAllowed(peer.Address, allowPrivate))
            {
                throw new CallbackRefusedException($"callback connection to '{endpoint.Host}' reached a refused address");
            }

            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
