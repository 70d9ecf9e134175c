using System.Diagnostics;
using System.Text.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Callbacks;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Limits;
using Codify.ExecutionApi.Runtimes;
using Codify.ExecutionApi.Telemetry;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Sockets;

/// <summary>
/// <c>execute</c> over a WebSocket: the same steps and limits as <c>POST /api/execute</c> (rate limit and queue cap,
/// request validation, callbackUrl, runtime version, a healthy sandbox), each refusal as an <c>error</c> message.
/// </summary>
public sealed partial class SocketExecutor(
    ExecutionAdmission admission,
    AdmissionMetrics metrics,
    CallbackUrlValidator callbacks,
    RuntimeVersionCheck versions,
    SandboxAvailability sandboxes,
    ExecutionStore store,
    IOptions<ExecutionOptions> options,
    IOptions<LimitOptions> limitOptions,
    IOptions<JsonOptions> json,
    ILogger<SocketExecutor> logger)
{
    private const string Invalid = "The execution request is invalid.";

    /// <summary>The new record, or the error to answer (nothing was queued then).</summary>
    public async Task<(ExecutionRecord? Record, SocketReply? Error)> ExecuteAsync(
        JsonElement message, SocketRequest envelope, string client, CancellationToken cancellationToken)
    {
        // Each execute is its own trace (the connection's request may live for hours), linked to the connection.
        var connection = Activity.Current;
        using var activity = ApiTelemetry.StartWebSocketExecute();
        try
        {
            var (record, error) = await CreateAsync(message, envelope, client, cancellationToken);
            activity?.SetTag("codify.execution.id", record?.Id);
            activity?.SetTag("codify.websocket.error", error?.Code);
            return (record, error);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogRedisUnavailable(logger, e);
            metrics.Rejected("redis_unavailable");
            return (null, Unavailable("Redis does not answer; nothing was queued. Retry later.", envelope));
        }
        finally
        {
            Activity.Current = connection;
        }
    }

    private async Task<(ExecutionRecord?, SocketReply?)> CreateAsync(
        JsonElement message, SocketRequest envelope, string client, CancellationToken cancellationToken)
    {
        ExecuteRequest? request;
        try
        {
            request = message.Deserialize<ExecuteRequest>(json.Value.SerializerOptions);
        }
        catch (JsonException e)
        {
            return (null, SocketReply.Error(SocketErrors.Malformed,
                $"The execute message is not an execution request: the value at '{e.Path}' has the wrong type.", envelope));
        }

        // As for POST /api/execute, the budget counts every attempt, valid or not.
        if ((await admission.AdmitAsync(client)).Refusal is { } refusal)
        {
            return (null, SocketReply.Error(refusal.Reason, refusal.Detail, envelope) with { RetryAfter = refusal.RetryAfterSeconds });
        }

        if (ExecuteRequestValidator.Validate(request!, options.Value, limitOptions.Value, out var errors) is not { } spec)
        {
            return (null, ValidationError(errors, envelope));
        }

        if (request!.CallbackUrl is { } url && await callbacks.ValidateAsync(url, cancellationToken) is { } callbackError)
        {
            return (null, ValidationError(new() { [CallbackUrlValidator.Field] = [callbackError] }, envelope));
        }

        if (request.Version is { } version && await versions.ResolveAsync(spec.Language, version) is { } runtime)
        {
            if (runtime.Unpublished)
            {
                return (null, Unavailable("No sandbox has published its runtimes yet, so the installed versions are unknown. Retry later.", envelope));
            }

            if (runtime.Mismatch is { } mismatch)
            {
                return (null, ValidationError(new() { ["version"] = [mismatch] }, envelope));
            }
        }

        if (!await sandboxes.AnyHealthyAsync())
        {
            return (null, Unavailable(SandboxAvailability.Detail, envelope));
        }

        return (await store.CreateAsync(spec, request.CallbackUrl), null);
    }

    private static SocketReply ValidationError(Dictionary<string, string[]> errors, SocketRequest envelope) =>
        SocketReply.Error(SocketErrors.Validation, Invalid, envelope) with { Errors = errors };

    private static SocketReply Unavailable(string message, SocketRequest envelope) =>
        SocketReply.Error(SocketErrors.Unavailable, message, envelope) with { RetryAfter = 5 };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable for a WebSocket execute; answering unavailable")]
    private static partial void LogRedisUnavailable(ILogger logger, Exception exception);
}
