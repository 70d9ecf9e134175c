using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Callbacks;

/// <summary>Checks a request's callbackUrl: configured server, URL shape, and every address its host resolves to.</summary>
public sealed class CallbackUrlValidator(IOptions<CallbackOptions> options, IHostAddressResolver resolver)
{
    public const string Field = "callbackUrl";
    public const int MaxLength = 2048;
    public const string NotConfigured = "callbacks are not configured on this server";

    /// <returns>Why the URL is refused, or null when callbacks may go there.</returns>
    public async Task<string?> ValidateAsync(string url, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsConfigured)
        {
            return NotConfigured;
        }

        if (url.Length > MaxLength)
        {
            return $"callbackUrl is longer than the limit of {MaxLength} characters";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.HostNameType is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
        {
            return "callbackUrl must be an absolute http or https URL with a host";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "callbackUrl must not carry user information (user:password@)";
        }

        var host = uri.IdnHost;
        try
        {
            var addresses = await resolver.AddressesOfAsync(host, cancellationToken)
                .WaitAsync(TimeSpan.FromSeconds(settings.ResolveTimeoutSeconds), cancellationToken);
            if (addresses.Length == 0)
            {
                return $"callbackUrl host '{host}' has no address";
            }

            return HostAddresses.FirstRefused(addresses, settings.AllowPrivateNetworks) is { } refused
                ? $"callbackUrl host '{host}' resolves to {refused.Describe(settings.AllowPrivateNetworks)}"
                : null;
        }
        catch (Exception e) when (e is SocketException or TimeoutException or ArgumentException)
        {
            return $"callbackUrl host '{host}' does not resolve";
        }
    }
}
