namespace Codify.AppHost.Redis;

/// <summary>
/// A Redis served by the host's own <c>redis-server</c> binary (Debian's package), not a container:
/// these machines have no container runtime, and Aspire's container Redis would never start there.
/// </summary>
public sealed class RedisServerResource(string name, string workingDirectory, int port)
    : ExecutableResource(name, "redis-server", workingDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    /// <summary>Loopback only: the development Redis has no password and must not be reachable from outside.</summary>
    internal const string BindAddress = "127.0.0.1";

    private EndpointReference? _primaryEndpoint;

    /// <summary>The port redis-server listens on, chosen when the model is built.</summary>
    public int Port { get; } = port;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    /// <summary>
    /// <c>127.0.0.1:port</c>, the StackExchange.Redis form. An IP rather than <c>localhost</c>, so a
    /// client never tries <c>::1</c> first against a server bound to IPv4 only.
    /// </summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{BindAddress}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
