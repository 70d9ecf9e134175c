using Codify.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Codify.Tests.Durability;

/// <summary>A service's first Redis step survives Redis answering late: it is retried, never thrown into the host.</summary>
[UnitTier]
public sealed class RedisStartupTests
{
    [Fact]
    public async Task A_step_that_times_out_is_retried_until_it_succeeds()
    {
        var calls = 0;
        await RedisStartup.RetryAsync(() =>
        {
            calls++;
            return calls < 3
                ? Task.FromException(new RedisTimeoutException("SUBSCRIBE timed out", CommandStatus.Sent))
                : Task.CompletedTask;
        }, "subscribing", NullLogger.Instance, CancellationToken.None);

        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Stopping_ends_the_wait_and_other_failures_are_not_swallowed()
    {
        using var stopping = new CancellationTokenSource();
        var retrying = RedisStartup.RetryAsync(() =>
        {
            stopping.Cancel();
            return Task.FromException(new RedisConnectionException(ConnectionFailureType.UnableToConnect, "down"));
        }, "subscribing", NullLogger.Instance, stopping.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => retrying);

        await Assert.ThrowsAsync<InvalidOperationException>(() => RedisStartup.RetryAsync(
            () => Task.FromException(new InvalidOperationException("a bug")), "subscribing", NullLogger.Instance, CancellationToken.None));
    }
}
