using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Codify.Tests.Infrastructure;

/// <summary>
/// The real API on a real Kestrel listener on 127.0.0.1 (a free port), for clients that need a real socket
/// (<see cref="System.Net.WebSockets.ClientWebSocket"/>); <see cref="Client"/> talks plain HTTP to the same listener.
/// </summary>
public sealed class KestrelApi : IAsyncDisposable
{
    private KestrelApi(ApiFactory factory, Uri address)
    {
        Factory = factory;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public ApiFactory Factory { get; }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri Address { get; }

    public HttpClient Client { get; }

    /// <summary>ws://127.0.0.1:port/ plus <paramref name="path"/>.</summary>
    public Uri WebSocketUri(string path = "/") => new UriBuilder(Address) { Scheme = "ws", Path = path }.Uri;

    public static KestrelApi Start(string redisConnectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var factory = new ApiFactory(redisConnectionString, settings);
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a))
            .Single();
        return new KestrelApi(factory, address);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
