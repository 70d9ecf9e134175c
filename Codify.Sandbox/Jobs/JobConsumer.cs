using Codify.Contracts;
using Codify.Hosting;
using Codify.Sandbox.Readiness;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.Sandbox.Jobs;

/// <summary>
/// Takes jobs from the stream, never more than this replica has free slots, and hands each to <see cref="JobHandler"/>.
/// Stale entries of dead workers are claimed before new ones, so nothing stays pending forever (<see cref="StreamConsumerLoop"/>).
/// </summary>
public sealed class JobConsumer(
    JobFeed queue,
    JobHandler handler,
    RunningJobs running,
    IHostApplicationLifetime lifetime,
    IsolationState isolation,
    IConnectionMultiplexer redis,
    IOptions<SandboxOptions> options,
    TimeProvider time,
    ILogger<JobConsumer> logger) : BackgroundService
{
    private readonly StreamConsumerLoop _loop = new(queue, redis, new StreamLoopPacing(
        RedisKeys.JobsAvailableChannel,
        options.Value.MaxConcurrentExecutions,
        TimeSpan.FromMilliseconds(options.Value.PollIntervalMs),
        // The heartbeat's period: a dead worker's jobs are found soon after they turn stale, without a claim per read.
        TimeSpan.FromSeconds(options.Value.HeartbeatSeconds)), time, logger);

    // A job runs to its verdict once taken (shutdown waits for it, up to the stop grace); fail closed: a replica that
    // cannot isolate takes no job, so a healthy one gets it.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var grace = TimeSpan.FromSeconds(options.Value.StopGraceSeconds);
        // On stop, the loop stops taking jobs at once; runs still under way when the grace ends are killed and say why.
        await using var stop = stoppingToken.Register(() => _ = Task.Delay(grace, time, CancellationToken.None)
            .ContinueWith(_ => running.StopAll(), TaskScheduler.Default));
        // Stopping fires before any service stops (the heartbeat leaves the registry first): no job is taken from then on.
        await _loop.RunAsync((job, _) => handler.HandleAsync(job),
            () => isolation.IsReady && !lifetime.ApplicationStopping.IsCancellationRequested, stoppingToken);
    }

    public override void Dispose()
    {
        _loop.Dispose();
        base.Dispose();
    }
}
