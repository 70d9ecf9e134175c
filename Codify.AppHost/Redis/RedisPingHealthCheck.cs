using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Codify.AppHost.Redis;

/// <summary>
/// Healthy only when redis-server answers <c>PING</c> with <c>+PONG</c>. A running process or an open
/// port is not enough: while Redis loads it accepts connections but answers <c>-LOADING</c>, and
/// <c>WaitFor(redis)</c> must mean "answers commands".
/// </summary>
internal sealed class RedisPingHealthCheck(RedisServerResource redis) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var client = new TcpClient(AddressFamily.InterNetwork);
            await client.ConnectAsync(IPAddress.Parse(RedisServerResource.BindAddress), redis.Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);

            using var reader = new StreamReader(stream, Encoding.ASCII);
            var reply = await reader.ReadLineAsync(timeout.Token);
            return reply == "+PONG"
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"redis-server answered PING with '{reply}'.");
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"redis-server does not answer on {RedisServerResource.BindAddress}:{redis.Port}.", ex);
        }
    }
}
