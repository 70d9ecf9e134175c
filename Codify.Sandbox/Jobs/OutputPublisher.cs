using Codify.Contracts;
using Codify.Sandbox.Isolation;

namespace Codify.Sandbox.Jobs;

/// <summary>
/// Publishes a run's output chunks as <c>stdout</c>/<c>stderr</c> events while it runs. Each chunk's Redis call is
/// issued at once, in arrival order (the capture calls in order); <see cref="DrainAsync"/> waits for all of them so the
/// <c>completed</c> event always comes after the last chunk. The output budget bounds how many calls a run makes.
/// </summary>
public sealed class OutputPublisher(ExecutionRepository executions, string executionId)
{
    private readonly Lock _gate = new();
    private readonly List<Task> _pending = [];

    public void OnChunk(OutputSource source, string text)
    {
        var type = source == OutputSource.Stdout ? ExecutionEventType.Stdout : ExecutionEventType.Stderr;
        var sent = executions.AppendOutputAsync(executionId, type, text);
        lock (_gate)
        {
            _pending.Add(sent);
        }
    }

    /// <summary>Waits for every chunk issued so far; a chunk Redis failed to take is lost (the final record keeps the output).</summary>
    public async Task DrainAsync()
    {
        Task[] pending;
        lock (_gate)
        {
            pending = [.. _pending];
        }

        try
        {
            await Task.WhenAll(pending);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            // The live stream misses a chunk; the record's final output is still complete.
        }
    }
}
