using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Health;

/// <summary>Healthy when Redis answers PING within <see cref="HealthOptions.RedisTimeoutMs"/>; reports the round trip.</summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis, IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var timeout = options.Value.RedisTimeout;
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(timeout, cancellationToken);
            var data = new Dictionary<string, object> { ["latencyMs"] = Math.Round(latency.TotalMilliseconds, 2) };
            if (redis.GetServers().FirstOrDefault(s => s.IsConnected) is { } server)
            {
                data["version"] = server.Version.ToString();
            }

            return HealthCheckResult.Healthy($"Redis answered PING in {latency.TotalMilliseconds:0.##} ms", data);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"PING failed: {RedisFailure.Describe(e, timeout)}",
                data: new Dictionary<string, object> { ["timeoutMs"] = timeout.TotalMilliseconds });
        }
    }
}
