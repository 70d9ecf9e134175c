using System.Net;
using Codify.ExecutionApi.Callbacks;

namespace Codify.Tests.Callbacks;

/// <summary>The SSRF decision on address literals: pure, no network, nothing is ever connected to.</summary>
[UnitTier]
public sealed class CallbackAddressPolicyTests
{
    [Theory]
    [InlineData("10.0.0.1", "private")]
    [InlineData("172.16.5.4", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("::1", "loopback")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fc00::1", "unique local")]
    [InlineData("fd12:3456::1", "unique local")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("64:ff9b::a00:1", "private")] // NAT64 of 10.0.0.1
    [InlineData("2002:a9fe:a9fe::1", "link-local")] // 6to4 of 169.254.169.254
    public void Internal_addresses_are_refused_unless_private_networks_are_allowed(string literal, string range)
    {
        var verdict = CallbackAddressPolicy.Classify(IPAddress.Parse(literal));

        Assert.Equal(AddressScope.Private, verdict.Scope);
        Assert.Contains(range, verdict.Range, StringComparison.Ordinal);
        Assert.False(verdict.IsAllowed(allowPrivateNetworks: false));
        Assert.True(verdict.IsAllowed(allowPrivateNetworks: true));
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("::")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("255.255.255.255")]
    [InlineData("240.0.0.1")]
    [InlineData("ff02::1")]
    [InlineData("192.0.2.1")]
    [InlineData("2001:db8::1")]
    [InlineData("2001::1")] // Teredo
    [InlineData("::a00:1")] // IPv4-compatible
    [InlineData("::ffff:0.0.0.0")]
    [InlineData("4000::1")] // outside global unicast
    public void Unspecified_multicast_broadcast_and_reserved_addresses_are_always_refused(string literal)
    {
        var address = IPAddress.Parse(literal);

        Assert.Equal(AddressScope.Unroutable, CallbackAddressPolicy.Classify(address).Scope);
        Assert.False(CallbackAddressPolicy.IsAllowed(address, allowPrivateNetworks: true));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("11.0.0.1")]
    [InlineData("172.32.0.1")] // just past 172.16.0.0/12
    [InlineData("100.128.0.1")] // just past 100.64.0.0/10
    [InlineData("169.255.0.1")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("2002:808:808::1")] // 6to4 of 8.8.8.8
    public void Public_addresses_are_allowed(string literal)
    {
        var address = IPAddress.Parse(literal);

        Assert.Equal(AddressScope.Public, CallbackAddressPolicy.Classify(address).Scope);
        Assert.True(CallbackAddressPolicy.IsAllowed(address, allowPrivateNetworks: false));
    }
}
