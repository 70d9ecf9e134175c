namespace Codify.Hosting;

/// <summary>
/// Names of Codify's own telemetry, registered by <c>ConfigureOpenTelemetry</c> so the Aspire dashboard shows them:
/// one activity source per service and one meter.
/// </summary>
public static class CodifyTelemetry
{
    /// <summary>The meter every Codify instrument belongs to (admission rejections, executions, queue, slots, WebSockets).</summary>
    public const string MeterName = "Codify";

    /// <summary>Spans of the ExecutionApi: <c>execution.enqueue</c>, the producer side of the job.</summary>
    public const string ApiActivitySource = "Codify.ExecutionApi";

    /// <summary>Spans of the Sandbox: <c>execution.run</c> and its children, continuing the trace carried by the job.</summary>
    public const string SandboxActivitySource = "Codify.Sandbox";

    /// <summary>The log property carrying the execution id on every log line about one execution.</summary>
    public const string ExecutionIdProperty = "ExecutionId";

    /// <summary>The span attribute carrying the execution id (the API also sets it on the HTTP request's span).</summary>
    public const string ExecutionIdTag = "codify.execution.id";
}
