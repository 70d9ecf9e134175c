using System.Net;
using System.Net.Sockets;

namespace Codify.ExecutionApi.Admission;

/// <summary>Who a request counts against: its verified API key, else its client address.</summary>
public static class ClientIdentity
{
    /// <summary>
    /// The partition of <paramref name="context"/>: <c>key:…</c> when <see cref="ApiKeyAuthentication"/> verified a key, else
    /// <c>ip:…</c>. An unverified key is never used: with keys off, inventing keys must not buy fresh budgets.
    /// IPv6 clients count per /64, the block one subscriber usually holds.
    /// </summary>
    public static string Of(HttpContext context) =>
        context.User.FindFirst(ApiKeyAuthentication.KeyIdClaim) is { } key
            ? $"key:{key.Value}"
            : $"ip:{Address(context.Connection.RemoteIpAddress)}";

    private static string Address(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}
