using Codify.Contracts;
using Codify.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.Sandbox.Jobs;

/// <summary>
/// Kills runs of this replica that the API asked to cancel: at once on the cancel channel (every replica hears it; the
/// one running the execution acts), and at every heartbeat from the record's flag, in case a message was lost.
/// </summary>
public sealed partial class CancelListener(
    IConnectionMultiplexer redis,
    RunningJobs running,
    CancelRequests requests,
    IOptions<SandboxOptions> options,
    ILogger<CancelListener> logger) : BackgroundService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(RedisKeys.CancelChannel);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscriber = redis.GetSubscriber();
        try
        {
            await RedisStartup.RetryAsync(() => subscriber.SubscribeAsync(Channel, (_, id) => Cancel(id.ToString())), "subscribing to cancels", logger, stoppingToken);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds));
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SweepAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await subscriber.UnsubscribeAsync(Channel);
        }
    }

    private void Cancel(string executionId)
    {
        if (running.TryCancel(executionId))
        {
            LogCancelling(logger, executionId);
        }
    }

    private async Task SweepAsync()
    {
        foreach (var id in running.Ids)
        {
            try
            {
                if (await requests.IsRequestedAsync(id))
                {
                    Cancel(id);
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogSweepFailed(logger, id, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cancel requested for {ExecutionId}: killing its run")]
    private static partial void LogCancelling(ILogger logger, string executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the cancel flag of {ExecutionId}; retrying at the next beat")]
    private static partial void LogSweepFailed(ILogger logger, string executionId, Exception exception);
}
