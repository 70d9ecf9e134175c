namespace Codify.Contracts;

/// <summary>
/// Lua shared by every script that ends an execution record (the Sandbox's finish, a cancellation):
/// when the record asked for a callback, the delivery is queued in the same atomic script, so an ended
/// record with a callbackUrl always has exactly one entry on <see cref="RedisKeys.CallbackStream"/>.
/// </summary>
public static class CallbackQueueScript
{
    /// <summary>Field of a <see cref="RedisKeys.CallbackStream"/> entry naming the execution.</summary>
    public const string ExecutionIdField = "id";

    /// <summary>
    /// The snippet to embed after the record's terminal HSET. Each argument is a Lua expression, such as
    /// <c>KEYS[1]</c> (the record's key), <c>KEYS[3]</c> (<see cref="RedisKeys.CallbackStream"/>, declared as a key)
    /// and <c>ARGV[6]</c> (the execution id).
    /// </summary>
    public static string EnqueueIfRequested(string recordKey, string streamKey, string executionId) => $"""
        if redis.call('HEXISTS', {recordKey}, '{ExecutionFields.CallbackUrl}') == 1 then
          redis.call('XADD', {streamKey}, '*', '{ExecutionIdField}', {executionId})
          redis.call('PUBLISH', '{RedisKeys.CallbacksAvailableChannel}', {executionId})
        end
        """;
}
