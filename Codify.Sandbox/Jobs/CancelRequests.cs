using Codify.Contracts;
using StackExchange.Redis;

namespace Codify.Sandbox.Jobs;

/// <summary>Reads the cancel flag the API sets on a running record, for a worker that may have missed the cancel message.</summary>
public sealed class CancelRequests(IConnectionMultiplexer redis)
{
    public static ExecutionResult BeforeStart { get; } =
        new() { Status = ExecutionStatus.Cancelled, Message = "cancelled before the program started" };

    public static ExecutionResult WorkerLost { get; } =
        new() { Status = ExecutionStatus.Cancelled, Message = "cancelled; the sandbox worker running it was lost" };

    public Task<bool> IsRequestedAsync(string executionId) =>
        redis.GetDatabase().HashExistsAsync(RedisKeys.Execution(executionId), ExecutionFields.CancelRequested);
}
