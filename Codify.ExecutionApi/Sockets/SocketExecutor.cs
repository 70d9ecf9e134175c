using System.Diagnostics;
using System.Text.Json;
using Codify.Contracts;
using Codify.ExecutionApi.BadRequests;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Intake;
using Codify.ExecutionApi.Telemetry;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Sockets;

/// <summary>
/// <c>execute</c> over a WebSocket: the message is read as an execution request and handed to the one intake; each
/// outcome that queued nothing becomes an <c>error</c> message.
/// </summary>
public sealed class SocketExecutor(ExecutionIntake intake, IOptions<JsonOptions> json)
{
    /// <summary>The new record, or the error to answer (nothing was queued then).</summary>
    public async Task<(ExecutionRecord? Record, SocketReply? Error)> ExecuteAsync(
        JsonElement message, SocketRequest envelope, string client, CancellationToken cancellationToken)
    {
        // Each execute is its own trace (the connection's request may live for hours), linked to the connection.
        var connection = Activity.Current;
        using var activity = ApiTelemetry.StartWebSocketExecute();
        try
        {
            var (record, error) = await SubmitAsync(message, envelope, client, cancellationToken);
            activity?.SetTag("codify.execution.id", record?.Id);
            activity?.SetTag("codify.websocket.error", error?.Code);
            return (record, error);
        }
        finally
        {
            Activity.Current = connection;
        }
    }

    private async Task<(ExecutionRecord?, SocketReply?)> SubmitAsync(
        JsonElement message, SocketRequest envelope, string client, CancellationToken cancellationToken)
    {
        ExecuteRequest request;
        try
        {
            request = message.Deserialize<ExecuteRequest>(json.Value.SerializerOptions)!;
        }
        catch (JsonException e)
        {
            var (path, expected) = (JsonErrorWords.PathOf(e), JsonErrorWords.Explain(e, typeof(ExecuteRequest)));
            return (null, SocketReply.Error(SocketErrors.Malformed,
                $"The execute message is not an execution request: the value at '{path}' has the wrong type ({expected}).", envelope)
                with
            { Errors = new Dictionary<string, string[]> { [path] = [expected] } });
        }

        return await intake.SubmitAsync(request, client, cancellationToken) switch
        {
            IntakeQueued queued => (queued.Record, null),
            IntakeInvalid invalid => (null, SocketReply.Error(SocketErrors.Validation, IntakeProblems.InvalidTitle, envelope) with { Errors = invalid.Errors }),
            var refused => (null, Refused((IntakeRefused)refused, envelope)),
        };
    }

    /// <summary>Rate limit and queue cap keep their own codes; every other refusal is <c>unavailable</c>.</summary>
    private static SocketReply Refused(IntakeRefused refused, SocketRequest envelope) =>
        SocketReply.Error(refused.Reason is SocketErrors.RateLimited or SocketErrors.QueueFull ? refused.Reason : SocketErrors.Unavailable,
            refused.Detail, envelope) with
        { RetryAfter = refused.RetryAfterSeconds };
}
