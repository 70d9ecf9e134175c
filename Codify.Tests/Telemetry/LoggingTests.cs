using Codify.Hosting;
using Codify.Tests.Infrastructure;
using OpenTelemetry.Logs;

namespace Codify.Tests.Telemetry;

/// <summary>Serilog's events reach the OpenTelemetry pipeline (so the dashboard) with their trace and the execution id.</summary>
[Collection(TelemetryGroup.Name)]
[ApiTier]
public sealed class LoggingTests(TelemetryFixture stack)
{
    private const string RequestLogCategory = "Serilog.AspNetCore.RequestLoggingMiddleware";

    [Fact]
    public async Task Every_log_line_of_an_execution_carries_its_id_in_both_services()
    {
        var (record, traceId) = await stack.ExecuteInNewTraceAsync(new { language = "python", code = "print(1)" });

        var sandboxLogs = await Eventually.ReturnsAsync(() => Task.FromResult(stack.SandboxTelemetry.LogsOf(traceId)),
            logs => logs.Any(l => l.CategoryName == "Codify.Sandbox.Jobs.JobHandler"), TimeSpan.FromSeconds(30), "the sandbox's end-of-run line");
        var apiLogs = await Eventually.ReturnsAsync(() => Task.FromResult(stack.ApiTelemetry.LogsOf(traceId)),
            logs => logs.Any(l => l.CategoryName == RequestLogCategory), TimeSpan.FromSeconds(30), "the API's request line");

        Assert.All(sandboxLogs.Concat(apiLogs), log => Assert.Equal(record.Id, Attribute(log, CodifyTelemetry.ExecutionIdProperty)));
        var requestLine = Assert.Single(apiLogs, l => l.CategoryName == RequestLogCategory);
        Assert.Equal("/api/execute", Attribute(requestLine, "RequestPath"));
        Assert.Equal(200, Attribute(requestLine, "StatusCode"));
        var ended = Assert.Single(sandboxLogs, l => l.CategoryName == "Codify.Sandbox.Jobs.JobHandler");
        // Its message does not name the execution: the id comes from the job handler's log scope.
        Assert.Equal("completed", Attribute(ended, "Status"));
        Assert.DoesNotContain("ExecutionId", ended.Body, StringComparison.Ordinal);
        Assert.Equal("LogEnded", ended.EventId.Name);
    }

    [Fact]
    public async Task A_request_about_an_execution_is_logged_with_its_id()
    {
        var (record, _) = await stack.ExecuteInNewTraceAsync(new { language = "python", code = "print(2)" });

        using var response = await stack.Client.GetAsync($"/api/execute/{record.Id}");
        response.EnsureSuccessStatusCode();

        var line = await Eventually.ReturnsAsync(
            () => Task.FromResult(stack.ApiTelemetry.Logs.Snapshot().FirstOrDefault(l =>
                l.CategoryName == RequestLogCategory && Attribute(l, "RequestPath") as string == $"/api/execute/{record.Id}")),
            l => l is not null, TimeSpan.FromSeconds(30), "the GET's request line");
        Assert.Equal(record.Id, Attribute(line!, CodifyTelemetry.ExecutionIdProperty));
        Assert.Equal("GET", Attribute(line!, "RequestMethod"));
        Assert.NotEqual(default, line!.TraceId);
    }

    [Fact]
    public async Task Health_probes_are_not_logged_at_information()
    {
        var before = stack.ApiTelemetry.Logs.Count;
        using (var response = await stack.Client.GetAsync("/alive"))
        {
            response.EnsureSuccessStatusCode();
        }

        // A request line is written synchronously at the end of the request: a later request's line proves the probe's would be there.
        var (record, traceId) = await stack.ExecuteInNewTraceAsync(new { language = "python", code = "print(3)" });
        await Eventually.ReturnsAsync(() => Task.FromResult(stack.ApiTelemetry.LogsOf(traceId)),
            logs => logs.Any(l => l.CategoryName == RequestLogCategory), TimeSpan.FromSeconds(30), $"the request line of {record.Id}");

        Assert.DoesNotContain(stack.ApiTelemetry.Logs.Snapshot().Skip(before), l => Attribute(l, "RequestPath") as string == "/alive");
    }

    internal static object? Attribute(LogRecord log, string key) =>
        log.Attributes?.FirstOrDefault(a => a.Key == key).Value;
}
