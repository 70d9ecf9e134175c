using System.Text;
using Codify.Contracts;
using Codify.Sandbox.Supervision;
using StackExchange.Redis;

namespace Codify.Sandbox.Jobs;

/// <summary>
/// Publishes a run's output chunks as <c>stdout</c>/<c>stderr</c> events while it runs, never blocking the pumps.
/// One send at a time: chunks that arrive while a send is in flight are merged (consecutive ones of the same stream,
/// up to <see cref="MaxEventChars"/>), so a flood makes few Redis calls and the order across streams is kept.
/// <see cref="DrainAsync"/> waits for the last send, so <c>completed</c> always comes after the last chunk.
/// </summary>
public sealed class OutputPublisher(ExecutionRepository executions, string executionId)
{
    private const int MaxEventChars = 64 * 1024;

    private readonly Lock _gate = new();
    private readonly List<(ExecutionEventType Type, StringBuilder Text)> _queued = [];
    private Task _sending = Task.CompletedTask;
    private bool _busy;

    public void OnChunk(OutputSource source, string text)
    {
        var type = source == OutputSource.Stdout ? ExecutionEventType.Stdout : ExecutionEventType.Stderr;
        lock (_gate)
        {
            if (_queued.Count > 0 && _queued[^1].Type == type && _queued[^1].Text.Length + text.Length <= MaxEventChars)
            {
                _queued[^1].Text.Append(text);
            }
            else
            {
                _queued.Add((type, new StringBuilder(text)));
            }

            if (!_busy)
            {
                _busy = true;
                _sending = Task.Run(SendQueuedAsync);
            }
        }
    }

    /// <summary>Waits until everything handed over so far is sent; a chunk Redis failed to take is lost (the final record keeps the output).</summary>
    public async Task DrainAsync()
    {
        while (true)
        {
            Task sending;
            lock (_gate)
            {
                if (!_busy)
                {
                    return;
                }

                sending = _sending;
            }

            await sending;
        }
    }

    private async Task SendQueuedAsync()
    {
        while (true)
        {
            (ExecutionEventType Type, StringBuilder Text)[] batch;
            lock (_gate)
            {
                if (_queued.Count == 0)
                {
                    _busy = false;
                    return;
                }

                batch = [.. _queued];
                _queued.Clear();
            }

            try
            {
                // Issued in order on one connection: Redis runs them in this order.
                await Task.WhenAll(batch.Select(e => executions.AppendOutputAsync(executionId, e.Type, e.Text.ToString())));
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // The live stream misses these chunks; the record's final output is still complete.
            }
        }
    }
}
