using System.Diagnostics.Metrics;

namespace Codify.ExecutionApi.Admission;

/// <summary>Requests refused before any handler ran, by reason (unauthorized, too_large, rate_limited, queue_full, redis_unavailable).</summary>
public sealed class AdmissionMetrics(IMeterFactory meters)
{
    private readonly Counter<long> _rejections = meters.Create(Codify.Hosting.CodifyTelemetry.MeterName)
        .CreateCounter<long>("codify.api.admission.rejections", description: "Requests refused by admission (keys, size, rate limit, queue cap)");

    public void Rejected(string reason) => _rejections.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
