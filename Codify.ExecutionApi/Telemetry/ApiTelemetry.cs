using System.Diagnostics;
using Codify.Contracts;
using Codify.Hosting;

namespace Codify.ExecutionApi.Telemetry;

/// <summary>
/// The API's spans. <c>execution.enqueue</c> covers writing the record and adding the job; its W3C traceparent goes
/// into the job (<see cref="JobFields.TraceParent"/>), so the Sandbox's spans continue this trace.
/// </summary>
public static class ApiTelemetry
{
    public static readonly ActivitySource Source = new(CodifyTelemetry.ApiActivitySource);

    /// <summary>Starts the enqueue span (a producer span under the current request's) and names the execution on that request.</summary>
    public static Activity? StartEnqueue(string executionId, ExecutionSpec spec)
    {
        TagRequest(Activity.Current, executionId);
        var activity = Source.StartActivity("execution.enqueue", ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(ExecutionTags.Id, executionId);
            activity.SetTag(ExecutionTags.Language, spec.Language);
            foreach (var (key, value) in ExecutionTags.Limits(spec.Limits))
            {
                activity.SetTag(key, value);
            }
        }

        return activity;
    }

    /// <summary>
    /// A request that waited for a run that failed on our side (internal_error): marked failed, so its trace is exported
    /// with the Sandbox's spans even when it was not sampled (the Sandbox keeps its own part for the same reason).
    /// </summary>
    public static void WaitedFor(ExecutionRecord record)
    {
        if (record.Status == ExecutionStatus.InternalError)
        {
            Activity.Current?.SetStatus(ActivityStatusCode.Error, record.Message);
        }
    }

    /// <summary>A root span for one callback delivery, so its HTTP POST is traced (outgoing calls alone start no trace).</summary>
    public static Activity? StartCallbackDelivery(string executionId)
    {
        var activity = Source.StartActivity("callback.deliver", ActivityKind.Producer);
        activity?.SetTag(ExecutionTags.Id, executionId);
        return activity;
    }

    /// <summary>
    /// For an <c>execute</c> message on a WebSocket: starts a new trace for that one execution (a server span linked to
    /// the connection's request span), so a long-lived connection does not gather every execution into one trace.
    /// Call it around the message's handling; <see cref="StartEnqueue"/> then nests under it.
    /// </summary>
    public static Activity? StartWebSocketExecute()
    {
        var connection = Activity.Current;
        ActivityLink[]? links = connection is null ? null : [new ActivityLink(connection.Context)];
        // With no parent given, StartActivity adopts Activity.Current: clear it to start a root span.
        Activity.Current = null;
        var activity = Source.StartActivity("websocket.execute", ActivityKind.Server, parentContext: default, links: links);
        if (activity is null)
        {
            Activity.Current = connection;
        }

        return activity;
    }

    /// <summary>
    /// What the job carries: the enqueue span's context, or the caller's when nothing records spans (empty when
    /// there is neither). Written even for an unsampled trace, so the Sandbox honours the same sampling decision.
    /// </summary>
    public static string TraceParent(Activity? enqueue) =>
        (enqueue ?? Activity.Current) is { IdFormat: ActivityIdFormat.W3C, Id: { } id } ? id : "";

    /// <summary>
    /// Names the execution on the request's span (and so on its request log line). A request that creates several
    /// (a batch) names none: one id would be a lie.
    /// </summary>
    private static void TagRequest(Activity? request, string executionId)
    {
        if (request is null || request.GetTagItem(ManyTag) is not null)
        {
            return;
        }

        if (request.GetTagItem(CodifyTelemetry.ExecutionIdTag) is null)
        {
            request.SetTag(CodifyTelemetry.ExecutionIdTag, executionId);
            return;
        }

        request.SetTag(CodifyTelemetry.ExecutionIdTag, null);
        request.SetTag(ManyTag, true);
    }

    private const string ManyTag = "codify.execution.many";
}
