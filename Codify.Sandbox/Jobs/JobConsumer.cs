using Codify.Hosting;
using Codify.Sandbox.Readiness;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.Sandbox.Jobs;

/// <summary>
/// Takes jobs from the stream, never more than this replica has free slots, and hands each to <see cref="JobHandler"/>.
/// Stale entries of dead workers are claimed before new ones, so nothing stays pending forever.
/// </summary>
public sealed partial class JobConsumer(
    JobFeed queue,
    JobHandler handler,
    IsolationState isolation,
    IConnectionMultiplexer redis,
    IOptions<SandboxOptions> options,
    TimeProvider time,
    ILogger<JobConsumer> logger) : BackgroundService
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentExecutions, options.Value.MaxConcurrentExecutions);
    private readonly WakeSignal _jobsAvailable = new();
    private readonly RunningTasks _running = new();
    private DateTimeOffset _nextStaleCheck = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await queue.EnsureGroupAsync();
        var subscriber = redis.GetSubscriber();
        await subscriber.SubscribeAsync(RedisChannel.Literal(Contracts.RedisKeys.JobsAvailableChannel), (_, _) => _jobsAvailable.Poke());
        try
        {
            await ConsumeAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: stop taking jobs, let the running ones finish below.
        }
        finally
        {
            await subscriber.UnsubscribeAsync(RedisChannel.Literal(Contracts.RedisKeys.JobsAvailableChannel));
            await _running.WhenAllAsync();
        }
    }

    private async Task ConsumeAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await _slots.WaitAsync(stoppingToken);
            StreamEntry? entry = null;
            try
            {
                // Fail closed: a replica that cannot isolate takes no job, so a healthy one gets it.
                entry = isolation.IsReady ? await NextEntryAsync() : null;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogRedisUnavailable(logger, e);
            }

            if (entry is not { } job)
            {
                _slots.Release();
                await WaitForWorkAsync(stoppingToken);
                continue;
            }

            _running.Track(Task.Run(async () =>
            {
                try
                {
                    await handler.HandleAsync(job);
                }
                finally
                {
                    _slots.Release();
                }
            }, CancellationToken.None));
        }
    }

    private async Task<StreamEntry?> NextEntryAsync()
    {
        if (time.GetUtcNow() >= _nextStaleCheck)
        {
            if (await queue.ClaimStaleAsync() is { } stale)
            {
                return stale;
            }

            _nextStaleCheck = time.GetUtcNow().AddSeconds(options.Value.HeartbeatSeconds);
        }

        return await queue.ReadNewAsync();
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken) =>
        await _jobsAvailable.WaitAsync(TimeSpan.FromMilliseconds(options.Value.PollIntervalMs), stoppingToken);



    public override void Dispose()
    {
        _slots.Dispose();
        _jobsAvailable.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable while reading jobs; retrying")]
    private static partial void LogRedisUnavailable(ILogger logger, Exception exception);
}
