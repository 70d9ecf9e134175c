using System.Text.Json;
using Codify.Contracts;
using Codify.Contracts.Sessions;
using Codify.ExecutionApi.Telemetry;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Sessions;

/// <summary>
/// Carries one <see cref="SessionRequest"/> to the replica that holds the session (its own stream) and waits for the
/// <see cref="SessionReply"/>: announced on a channel, read from a short-lived key (so a missed message costs a poll, not the reply).
/// </summary>
public sealed class SessionCourier(IConnectionMultiplexer redis, TimeProvider time)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <returns>The reply, or null when none came within <paramref name="timeout"/>.</returns>
    public async Task<SessionReply?> AskAsync(string replica, SessionRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var db = redis.GetDatabase();
        var replyKey = RedisKeys.SessionReply(request.RequestId);
        var channel = RedisChannel.Literal(replyKey);
        var subscriber = redis.GetSubscriber();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Action<RedisChannel, RedisValue> onReply = (_, _) => arrived.TrySetResult();
        // Subscribed before asking: the reply cannot come before we listen.
        await subscriber.SubscribeAsync(channel, onReply);
        try
        {
            using var activity = ApiTelemetry.Source.StartActivity("session.request");
            activity?.SetTag("codify.session.request", request.Kind.ToString());
            await db.StreamAddAsync(RedisKeys.SessionRequests(replica), JobFields.SessionRequest, JsonSerializer.Serialize(request, CodifyJson.Options));
            await db.PublishAsync(RedisChannel.Literal(RedisKeys.SessionRequestsAvailable(replica)), request.RequestId);
            var deadline = time.GetUtcNow() + timeout;
            while (true)
            {
                var value = await db.StringGetDeleteAsync(replyKey);
                if (!value.IsNullOrEmpty)
                {
                    return JsonSerializer.Deserialize<SessionReply>(value.ToString(), CodifyJson.Options);
                }

                var left = deadline - time.GetUtcNow();
                if (left <= TimeSpan.Zero)
                {
                    return null;
                }

                try
                {
                    await arrived.Task.WaitAsync(left < Poll ? left : Poll, time, cancellationToken);
                }
                catch (TimeoutException)
                {
                    // Poll the key: the announcement may have been missed.
                }
            }
        }
        finally
        {
            subscriber.Unsubscribe(channel, onReply, CommandFlags.FireAndForget);
        }
    }
}
