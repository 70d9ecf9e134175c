namespace Codify.Contracts;

/// <summary>
/// Lua shared by every script that ends an execution record (the Sandbox's finish, a cancellation while queued, a queue
/// expiry, a lost session cell): announces the <c>completed</c> event on <see cref="RedisKeys.EndedChannel"/> as well as on
/// the execution's own channel, in the same atomic script. A request waiting for the end listens there through its API
/// replica's one subscription, instead of subscribing to and unsubscribing from each execution's channel (two more round
/// trips per request, and every start and output event delivered to it besides).
/// </summary>
public static class ExecutionEndedScript
{
    /// <summary>The snippet to embed after the record's terminal HSET; <paramref name="eventJson"/> is a Lua expression.</summary>
    public static string Announce(string eventJson) => $"redis.call('PUBLISH', '{RedisKeys.EndedChannel}', {eventJson})";
}
