using System.Net;

namespace Codify.ExecutionApi.Callbacks;

/// <summary>Name resolution for callback hosts; replaceable so the SSRF checks are tested without DNS.</summary>
public interface IHostAddressResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

public sealed class DnsHostAddressResolver : IHostAddressResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}

public static class HostAddresses
{
    /// <summary>An IP literal is its own address (no lookup); a name goes to the resolver.</summary>
    public static async Task<IPAddress[]> AddressesOfAsync(this IHostAddressResolver resolver, string host, CancellationToken cancellationToken)
    {
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(bare, out var literal) ? [literal] : await resolver.ResolveAsync(bare, cancellationToken);
    }

    /// <summary>The first refused address among <paramref name="addresses"/>, or null when every one is allowed (and there is one).</summary>
    public static AddressVerdict? FirstRefused(IEnumerable<IPAddress> addresses, bool allowPrivateNetworks) =>
        addresses.Select(CallbackAddressPolicy.Classify).FirstOrDefault(v => !v.IsAllowed(allowPrivateNetworks));
}
