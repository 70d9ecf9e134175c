using System.Diagnostics;
using Codify.Contracts;
using Codify.Hosting;
using Codify.Tests.Infrastructure;
using OpenTelemetry.Logs;

namespace Codify.Tests.Telemetry;

/// <summary>Neither spans nor log lines ever carry a program's code, stdin or output.</summary>
[Collection(TelemetryGroup.Name)]
[ApiTier]
public sealed class NoProgramDataTests(TelemetryFixture stack)
{
    [Fact]
    public async Task Code_stdin_and_output_appear_in_no_span_attribute_and_no_log_line()
    {
        var nonce = Guid.NewGuid().ToString("N");
        var codeMarker = $"CODE-MARKER-{nonce}";
        var stdinMarker = $"STDIN-MARKER-{nonce}";
        var stdoutMarker = $"STDOUT-MARKER-{nonce}";
        var stderrMarker = $"STDERR-MARKER-{nonce}";
        // The output markers are assembled at run time: they are not in the code, so finding one means output leaked.
        var code = $"""
            # {codeMarker}
            import sys
            data = sys.stdin.read()
            print("STDOUT" + "-MARKER-" + "{nonce}")
            print("STDERR" + "-MARKER-" + "{nonce}", file=sys.stderr)
            """;
        var (record, traceId) = await stack.ExecuteInNewTraceAsync(new { language = "python", code, stdin = stdinMarker });

        Assert.Contains(stdoutMarker, record.Stdout, StringComparison.Ordinal);
        Assert.Contains(stderrMarker, record.Stderr, StringComparison.Ordinal);
        var spans = await Eventually.ReturnsAsync(
            () => Task.FromResult(stack.ApiTelemetry.SpansOf(traceId).Concat(stack.SandboxTelemetry.SpansOf(traceId)).ToArray()),
            s => s.Any(a => a.OperationName == "result.store") && s.Any(a => a.Kind == ActivityKind.Server),
            TimeSpan.FromSeconds(30), "the execution's spans");
        await Eventually.ReturnsAsync(() => Task.FromResult(stack.SandboxTelemetry.LogsOf(traceId)),
            logs => logs.Any(l => LoggingTests.Attribute(l, CodifyTelemetry.ExecutionIdProperty) as string == record.Id),
            TimeSpan.FromSeconds(30), "the sandbox's log lines of the execution");
        // Every line either host logged, not only those of this trace.
        var logs = stack.ApiTelemetry.Logs.Snapshot().Concat(stack.SandboxTelemetry.Logs.Snapshot()).ToArray();

        foreach (var marker in new[] { codeMarker, stdinMarker, stdoutMarker, stderrMarker, nonce })
        {
            Assert.DoesNotContain(spans, s => Texts(s).Any(t => t.Contains(marker, StringComparison.Ordinal)));
            Assert.DoesNotContain(logs, l => Texts(l).Any(t => t.Contains(marker, StringComparison.Ordinal)));
        }

        Assert.Contains(spans, s => s.GetTagItem(ExecutionTags.Id) as string == record.Id);
    }

    private static IEnumerable<string> Texts(Activity span) =>
        new[] { span.DisplayName, span.OperationName, span.StatusDescription ?? "" }
            .Concat(span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
            .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name} {t.Key}={t.Value}").Append(e.Name)))
            .Concat(span.Baggage.Select(b => $"{b.Key}={b.Value}"));

    private static IEnumerable<string> Texts(LogRecord log) =>
        new[] { log.FormattedMessage ?? "", log.Body ?? "", log.Exception?.ToString() ?? "" }
            .Concat((log.Attributes ?? []).Select(a => $"{a.Key}={a.Value}"));
}
