using Codify.Contracts;
using Codify.Hosting;
using Codify.Sandbox.Jobs;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.Sandbox.Sessions;

/// <summary>
/// Reads this replica's own session stream: requests about its sessions (start, close, files) and its sessions' cells
/// (execution jobs, handled by <see cref="JobHandler"/> like any job, so they stream, count and end the same way).
/// Only this replica reads it: a session lives where its sandbox is.
/// </summary>
internal sealed partial class SessionStreamConsumer(
    SessionRequestHandler requests,
    JobHandler jobs,
    IConnectionMultiplexer redis,
    IOptions<SandboxOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<SessionStreamConsumer> logger) : BackgroundService
{
    /// <summary>Requests and cells handled at once (each session still runs one thing at a time).</summary>
    private const int InFlight = 64;

    // One consumer, this process: its pending entries (a long cell) are never abandoned while it lives, and a new life
    // reads a new stream. Reclaiming would hand a running cell back to its own handler as "worker lost".
    private readonly StreamConsumerGroup _feed = new(redis, new ConsumerGroupMember(
        RedisKeys.SessionRequests(options.Value.ConsumerName), RedisKeys.SessionGroup, options.Value.ConsumerName, TimeSpan.FromDays(30)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var loop = new StreamConsumerLoop(_feed, redis, new StreamLoopPacing(
            RedisKeys.SessionRequestsAvailable(options.Value.ConsumerName), InFlight,
            TimeSpan.FromMilliseconds(options.Value.PollIntervalMs), TimeSpan.FromHours(1)), time, logger);
        await loop.RunAsync(HandleAsync, () => !lifetime.ApplicationStopping.IsCancellationRequested, stoppingToken);
    }

    private async Task HandleAsync(StreamEntry entry, CancellationToken stoppingToken)
    {
        if (entry[JobFields.SessionRequest] is { IsNullOrEmpty: false } request)
        {
            try
            {
                await requests.HandleAsync(request.ToString());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One request that failed (its caller gets no answer and says so) must not stop the replica's other sessions.
                LogRequestFailed(logger, e);
            }
            finally
            {
                await _feed.CompleteAsync(entry.Id);
            }

            return;
        }

        await jobs.HandleAsync(entry, _feed);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A session request failed; its caller gets no answer")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception);
}
