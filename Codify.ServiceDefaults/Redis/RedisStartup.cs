using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Codify.Hosting;

/// <summary>
/// A background service's first Redis step (subscribe, create its consumer group), retried until it succeeds. Redis slow
/// or down at start-up is a wait, not a crash: an exception escaping a BackgroundService stops the whole host, so one
/// timed-out SUBSCRIBE on a loaded machine would take a Sandbox replica down with every run it holds.
/// </summary>
public static partial class RedisStartup
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    public static async Task RetryAsync(Func<Task> step, string what, ILogger logger, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                await step();
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogRetrying(logger, what, delay.TotalMilliseconds, e);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis did not answer {What}; retrying in {DelayMs} ms")]
    private static partial void LogRetrying(ILogger logger, string what, double delayMs, Exception exception);
}
