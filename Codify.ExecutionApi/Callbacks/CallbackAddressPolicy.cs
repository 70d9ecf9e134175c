using System.Net;

namespace Codify.ExecutionApi.Callbacks;

/// <summary>What a destination address is, for the SSRF decision.</summary>
public enum AddressScope
{
    /// <summary>Global unicast: allowed.</summary>
    Public,

    /// <summary>Loopback, private, link-local, CGNAT, unique-local: allowed only with Callbacks:AllowPrivateNetworks.</summary>
    Private,

    /// <summary>Unspecified, multicast, broadcast, reserved, documentation: never a receiver, always refused.</summary>
    Unroutable,
}

/// <summary>One decision about one address: its scope and the named range it fell in.</summary>
public sealed record AddressVerdict(IPAddress Address, AddressScope Scope, string Range)
{
    public bool IsAllowed(bool allowPrivateNetworks) =>
        Scope == AddressScope.Public || (Scope == AddressScope.Private && allowPrivateNetworks);

    /// <summary>"10.0.0.1, a private (10.0.0.0/8) address; …": why the address is refused.</summary>
    public string Describe(bool allowPrivateNetworks) => Scope switch
    {
        AddressScope.Public => $"{Address}, a public address",
        AddressScope.Private when !allowPrivateNetworks =>
            $"{Address}, a {Range} address; callbacks to loopback, private and link-local networks are refused (Callbacks:AllowPrivateNetworks is off)",
        AddressScope.Private => $"{Address}, a {Range} address, allowed by Callbacks:AllowPrivateNetworks",
        _ => $"{Address}, a {Range} address, which is never a callback receiver",
    };
}

/// <summary>The SSRF decision: pure, so it is tested on address literals without any network.</summary>
public static class CallbackAddressPolicy
{
    private static readonly (IPNetwork Network, AddressScope Scope, string Name)[] V4 =
    [
        (IPNetwork.Parse("0.0.0.0/8"), AddressScope.Unroutable, "\"this network\" (unspecified)"),
        (IPNetwork.Parse("10.0.0.0/8"), AddressScope.Private, "private (10.0.0.0/8)"),
        (IPNetwork.Parse("100.64.0.0/10"), AddressScope.Private, "carrier-grade NAT (100.64.0.0/10)"),
        (IPNetwork.Parse("127.0.0.0/8"), AddressScope.Private, "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), AddressScope.Private, "link-local (169.254.0.0/16)"),
        (IPNetwork.Parse("172.16.0.0/12"), AddressScope.Private, "private (172.16.0.0/12)"),
        (IPNetwork.Parse("192.0.0.0/24"), AddressScope.Unroutable, "IETF protocol assignment"),
        (IPNetwork.Parse("192.0.2.0/24"), AddressScope.Unroutable, "documentation"),
        (IPNetwork.Parse("192.88.99.0/24"), AddressScope.Unroutable, "6to4 relay anycast"),
        (IPNetwork.Parse("192.168.0.0/16"), AddressScope.Private, "private (192.168.0.0/16)"),
        (IPNetwork.Parse("198.18.0.0/15"), AddressScope.Private, "benchmarking (198.18.0.0/15)"),
        (IPNetwork.Parse("198.51.100.0/24"), AddressScope.Unroutable, "documentation"),
        (IPNetwork.Parse("203.0.113.0/24"), AddressScope.Unroutable, "documentation"),
        (IPNetwork.Parse("224.0.0.0/4"), AddressScope.Unroutable, "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), AddressScope.Unroutable, "reserved or broadcast"),
    ];

    // First match wins; IPv6 outside these and outside global unicast 2000::/3 is refused.
    private static readonly (IPNetwork Network, AddressScope Scope, string Name)[] V6 =
    [
        (IPNetwork.Parse("::/128"), AddressScope.Unroutable, "unspecified"),
        (IPNetwork.Parse("::1/128"), AddressScope.Private, "loopback"),
        (IPNetwork.Parse("::/96"), AddressScope.Unroutable, "IPv4-compatible (deprecated)"),
        (IPNetwork.Parse("64:ff9b:1::/48"), AddressScope.Private, "local-use NAT64"),
        (IPNetwork.Parse("100::/64"), AddressScope.Unroutable, "discard-only"),
        (IPNetwork.Parse("2001::/23"), AddressScope.Unroutable, "IETF protocol assignment (Teredo, ORCHID)"),
        (IPNetwork.Parse("2001:db8::/32"), AddressScope.Unroutable, "documentation"),
        (IPNetwork.Parse("3fff::/20"), AddressScope.Unroutable, "documentation"),
        (IPNetwork.Parse("fc00::/7"), AddressScope.Private, "unique local (fc00::/7)"),
        (IPNetwork.Parse("fe80::/10"), AddressScope.Private, "link-local (fe80::/10)"),
        (IPNetwork.Parse("fec0::/10"), AddressScope.Private, "site-local (deprecated)"),
        (IPNetwork.Parse("ff00::/8"), AddressScope.Unroutable, "multicast"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");

    public static AddressVerdict Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return Classify(address.MapToIPv4()) with { Address = address };
        }

        var table = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? V4 : V6;
        foreach (var (network, scope, name) in table)
        {
            if (network.Contains(address))
            {
                return new AddressVerdict(address, scope, name);
            }
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return new AddressVerdict(address, AddressScope.Public, "public");
        }

        // Prefixes that embed an IPv4 address reach that address: judge it.
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address))
        {
            return Classify(new IPAddress(bytes.AsSpan(12, 4))) with { Address = address };
        }

        if (SixToFour.Contains(address))
        {
            return Classify(new IPAddress(bytes.AsSpan(2, 4))) with { Address = address };
        }

        return GlobalUnicast.Contains(address)
            ? new AddressVerdict(address, AddressScope.Public, "public")
            : new AddressVerdict(address, AddressScope.Unroutable, "unallocated IPv6");
    }

    public static bool IsAllowed(IPAddress address, bool allowPrivateNetworks) =>
        Classify(address).IsAllowed(allowPrivateNetworks);
}
