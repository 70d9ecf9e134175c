using System.Net.Http.Headers;
using System.Text.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Executions;
using Codify.Hosting;
using Polly.Timeout;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Callbacks;

/// <summary>Delivers one stream entry: loads the record, POSTs it (signed, retried), records the outcome, acknowledges.</summary>
public sealed partial class CallbackDelivery(
    CallbackFeed feed,
    ExecutionStore executions,
    IHttpClientFactory clients,
    ILogger<CallbackDelivery> logger)
{
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    public async Task HandleAsync(StreamEntry entry, CancellationToken stoppingToken)
    {
        var id = entry.Values is null ? "" : entry[CallbackQueueScript.ExecutionIdField].ToString();
        // The retry lines of the resilience pipeline carry the execution id too.
        using var logScope = logger.BeginScope(new Dictionary<string, object> { [CodifyTelemetry.ExecutionIdProperty] = id });
        try
        {
            var (url, settled) = string.IsNullOrEmpty(id) ? (null, null) : await feed.LoadAsync(id);
            // No URL: not ours, or the record expired. Settled: delivered before a reclaim; never POST twice.
            if (url is not null && settled is null && await executions.GetAsync(id) is { } record)
            {
                using var span = Telemetry.ApiTelemetry.StartCallbackDelivery(id);
                var outcome = await PostAsync(id, new Uri(url), record, stoppingToken);
                span?.SetTag("codify.callback.outcome", outcome);
                await feed.SettleAsync(id, outcome);
            }

            await feed.CompleteAsync(entry.Id);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down mid-delivery: left pending, another replica reclaims it.
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogRedisFailure(logger, id, e);
        }
    }

    private async Task<string> PostAsync(string id, Uri url, ExecutionRecord record, CancellationToken stoppingToken)
    {
        // The same JSON as GET /api/execute/{id}; the signing handler signs these exact bytes.
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(record, CodifyJson.Options));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        try
        {
            // Headers only: a receiver's response body is never read, so it cannot flood this replica.
            using var response = await clients.CreateClient(CallbackHttpClient.Name)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stoppingToken);
            if (response.IsSuccessStatusCode)
            {
                LogDelivered(logger, id, (int)response.StatusCode);
                return Delivered;
            }

            LogFailed(logger, id, $"HTTP {(int)response.StatusCode}", null);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or CallbackRefusedException
            || (e is OperationCanceledException && !stoppingToken.IsCancellationRequested))
        {
            LogFailed(logger, id, CallbackHttpClient.IsRefusal(e) ? "destination refused" : e.GetType().Name, e);
        }

        return Failed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Callback for execution {ExecutionId} delivered (HTTP {StatusCode})")]
    private static partial void LogDelivered(ILogger logger, string executionId, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback for execution {ExecutionId} failed for good: {Reason}")]
    private static partial void LogFailed(ILogger logger, string executionId, string reason, Exception? exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis failed while delivering the callback of {ExecutionId}; the entry stays pending for reclaim")]
    private static partial void LogRedisFailure(ILogger logger, string executionId, Exception exception);
}
