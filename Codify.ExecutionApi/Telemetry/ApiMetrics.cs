using System.Diagnostics.Metrics;
using Codify.ExecutionApi.Admission;
using Codify.Hosting;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Telemetry;

/// <summary>
/// The API's queue instrument on the Codify meter: <c>codify.queue.depth</c> (jobs no sandbox has taken yet).
/// Rejections are counted by <see cref="AdmissionMetrics"/>, WebSockets by Sockets/SocketMetrics.
/// A hosted service only so that its instruments exist from start-up, before anything asks for it.
/// </summary>
public sealed class ApiMetrics : IHostedService
{
    private readonly QueueGauge _queue;
    private long _queueDepth = Unknown;
    private int _refreshing;

    private const long Unknown = -1;

    public ApiMetrics(IMeterFactory meters, QueueGauge queue)
    {
        _queue = queue;
        var meter = meters.Create(CodifyTelemetry.MeterName);
        meter.CreateObservableGauge("codify.queue.depth", ObserveQueueDepth, unit: "{job}",
            description: "Jobs in the stream that no sandbox has taken yet");
    }

    /// <summary>
    /// The depth read at the previous collection, with a new read started now: the exporter's thread never waits
    /// for Redis. Nothing is reported while Redis does not answer.
    /// </summary>
    private IEnumerable<Measurement<long>> ObserveQueueDepth()
    {
        if (Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            _ = RefreshQueueDepthAsync();
        }

        var depth = Interlocked.Read(ref _queueDepth);
        return depth == Unknown ? [] : [new Measurement<long>(depth)];
    }

    private async Task RefreshQueueDepthAsync()
    {
        try
        {
            Interlocked.Exchange(ref _queueDepth, await _queue.WaitingAsync());
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Nobody awaits this read: whatever Redis (or a shutdown) throws ends here, as "unknown".
            Interlocked.Exchange(ref _queueDepth, Unknown);
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
