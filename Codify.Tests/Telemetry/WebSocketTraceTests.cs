using System.Diagnostics;
using Codify.ExecutionApi.Telemetry;
using Codify.Hosting;

namespace Codify.Tests.Telemetry;

/// <summary>The hook the WebSocket endpoint calls per <c>execute</c> message: one trace per execution, not per connection.</summary>
[UnitTier]
public sealed class WebSocketTraceTests
{
    [Fact]
    public void An_execute_message_starts_its_own_trace_linked_to_the_connection()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is CodifyTelemetry.ApiActivitySource or nameof(WebSocketTraceTests),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource(nameof(WebSocketTraceTests));
        using var connection = source.StartActivity("GET /ws", ActivityKind.Server)!;

        Activity? execute;
        Activity? enqueue;
        using (execute = ApiTelemetry.StartWebSocketExecute())
        using (enqueue = ApiTelemetry.Source.StartActivity("execution.enqueue"))
        {
            Assert.NotNull(execute);
            Assert.Equal(default, execute.ParentSpanId);
            Assert.NotEqual(connection.TraceId, execute.TraceId);
            Assert.Equal(connection.Context, Assert.Single(execute.Links).Context);
            Assert.Equal(execute.SpanId, enqueue!.ParentSpanId);
        }
    }
}
