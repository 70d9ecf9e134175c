using Codify.ExecutionApi.Admission;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Health;

/// <summary>The jobs waiting for a sandbox; the registration's failure status once the queue is full (new executions get 503).</summary>
public sealed class QueueHealthCheck(QueueGauge queue, IOptions<AdmissionOptions> admission, IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        long waiting;
        try
        {
            waiting = await queue.WaitingAsync().WaitAsync(options.Value.RedisTimeout, cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"the queue length is unknown: {RedisFailure.Describe(e, options.Value.RedisTimeout)}");
        }

        var max = admission.Value.MaxQueueLength;
        var data = new Dictionary<string, object> { ["waiting"] = waiting, ["maxQueueLength"] = max };
        return waiting < max
            ? HealthCheckResult.Healthy($"{waiting} jobs waiting for a sandbox (cap {max})", data)
            : new HealthCheckResult(context.Registration.FailureStatus,
                $"queue full: {waiting} jobs waiting (cap {max}); new executions are refused with 503", data: data);
    }
}
