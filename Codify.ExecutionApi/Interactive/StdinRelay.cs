using System.Text;
using Codify.Contracts;
using Codify.ExecutionApi.Executions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Interactive;

/// <summary>What became of one chunk of standard input sent to an execution.</summary>
public enum StdinSendOutcome
{
    Sent,
    NotFound,
    NotInteractive,
    Ended,
    Closed,
    TooLarge,
}

/// <summary>
/// Sends standard input to an interactive execution through Redis, whichever replica runs it (or later picks it up):
/// checked and appended in one script, so the budget holds across API replicas and nothing lands after the end.
/// </summary>
public sealed class StdinRelay(IConnectionMultiplexer redis, IOptions<ExecutionOptions> options)
{
    /// <summary>Every chunk of one execution together, in UTF-8 bytes (Executions:StdinSizeLimit).</summary>
    public int Budget => options.Value.StdinSizeLimit;

    public async Task<StdinSendOutcome> SendAsync(string executionId, string data, bool eof, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Encoding.UTF8.GetByteCount(data) > Budget)
        {
            return StdinSendOutcome.TooLarge;
        }

        var outcome = await redis.GetDatabase().ScriptEvaluateAsync(StdinScript.Send,
            [RedisKeys.Execution(executionId), RedisKeys.Stdin(executionId)],
            [data, eof ? "1" : "0", Budget, RedisKeys.StdinAvailable(executionId)]);
        return outcome.ToString() switch
        {
            "sent" => StdinSendOutcome.Sent,
            "not_found" => StdinSendOutcome.NotFound,
            "not_interactive" => StdinSendOutcome.NotInteractive,
            "closed" => StdinSendOutcome.Closed,
            "too_large" => StdinSendOutcome.TooLarge,
            _ => StdinSendOutcome.Ended,
        };
    }

    /// <summary>A sentence for the client explaining an outcome other than <see cref="StdinSendOutcome.Sent"/>.</summary>
    public string Explain(string executionId, StdinSendOutcome outcome) => outcome switch
    {
        StdinSendOutcome.NotFound => ExecutionNotFound.Detail(executionId),
        StdinSendOutcome.NotInteractive => $"Execution '{executionId}' was not started with \"interactive\": true; its standard input was given whole and is closed.",
        StdinSendOutcome.Ended => $"Execution '{executionId}' has ended; its standard input is closed.",
        StdinSendOutcome.Closed => $"The standard input of execution '{executionId}' was already closed (eof).",
        StdinSendOutcome.TooLarge => $"Standard input sent to one execution is limited to {Budget} bytes in total (Executions:StdinSizeLimit).",
        _ => "Sent.",
    };
}
