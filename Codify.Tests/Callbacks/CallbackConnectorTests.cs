using System.Net;
using System.Net.Sockets;
using Codify.ExecutionApi.Callbacks;
using Microsoft.Extensions.Options;

namespace Codify.Tests.Callbacks;

/// <summary>The connect-time guard, against a real loopback listener that counts what reaches it.</summary>
[ApiTier]
public sealed class CallbackConnectorTests
{
    private static CallbackConnector Connector(FakeResolver dns, bool allowPrivate) =>
        new(Options.Create(new CallbackOptions { Secret = CallbackStackFixture.Secret, AllowPrivateNetworks = allowPrivate }), dns);

    [Fact]
    public async Task A_name_that_now_resolves_to_loopback_is_refused_before_any_connection()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var refusal = await Assert.ThrowsAsync<CallbackRefusedException>(async () =>
            await Connector(new FakeResolver([IPAddress.Loopback]), allowPrivate: false).ConnectAsync(new DnsEndPoint("rebind.example", port), default));

        Assert.Contains("loopback", refusal.Message, StringComparison.Ordinal);
        Assert.False(listener.Pending(), "nothing connected to the listener");
    }

    [Fact]
    public async Task An_allowed_address_is_connected_to()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        await using var stream = await Connector(new FakeResolver([IPAddress.Loopback]), allowPrivate: true)
            .ConnectAsync(new DnsEndPoint("receiver.example", port), default);
        using var accepted = await listener.AcceptTcpClientAsync();

        Assert.True(accepted.Connected);
    }

    [Fact]
    public async Task Unroutable_addresses_are_refused_even_when_private_networks_are_allowed() =>
        await Assert.ThrowsAsync<CallbackRefusedException>(async () =>
            await Connector(new FakeResolver([IPAddress.Any]), allowPrivate: true).ConnectAsync(new DnsEndPoint("zero.example", 80), default));
}
