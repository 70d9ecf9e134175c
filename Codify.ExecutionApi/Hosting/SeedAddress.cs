using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Codify.ExecutionApi.Hosting;

/// <summary>
/// Where the API listens: the seed's <c>HOST</c> (default 0.0.0.0, every IPv4 interface) and <c>PORT</c> (default 8080,
/// 0 for any free port). They decide alone, alike under the AppHost and run on its own; ASPNETCORE_URLS is not consulted.
/// </summary>
public static class SeedAddress
{
    public const string PortVariable = "PORT";
    public const string HostVariable = "HOST";
    public const int DefaultPort = 8080;
    public const string DefaultHost = "0.0.0.0";

    /// <summary>The URL Kestrel listens on; a PORT that is not a port number stops start-up with a message naming it.</summary>
    public static string Url(IConfiguration configuration)
    {
        var port = DefaultPort;
        if (configuration[PortVariable] is { Length: > 0 } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535))
        {
            throw new InvalidOperationException($"{PortVariable} must be a TCP port number (0-65535; 0 for any free port), not '{text}'.");
        }

        var host = configuration[HostVariable] is { Length: > 0 } h ? h.Trim() : DefaultHost;
        // An IPv6 literal such as :: needs brackets in a URL.
        if (IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            host = $"[{address}]";
        }

        return $"http://{host}:{port.ToString(CultureInfo.InvariantCulture)}";
    }
}
