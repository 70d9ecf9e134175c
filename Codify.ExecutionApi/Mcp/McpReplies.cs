using System.Globalization;
using System.Text;
using Codify.Contracts;
using Codify.ExecutionApi.Intake;
using ModelContextProtocol.Protocol;

namespace Codify.ExecutionApi.Mcp;

/// <summary>
/// Tool results for the outcomes of the intake and of runs. Every failure is a tool error (<c>isError</c>) whose text says
/// why, in the REST problem's own words: a model reads it and can correct its call; the protocol itself never fails.
/// </summary>
internal static class McpReplies
{
    public static CallToolResult Error(string text) => new() { IsError = true, Content = [new TextContentBlock { Text = text }] };

    /// <summary>An outcome that queued nothing: invalid (each field's errors), or refused (why, and when to retry).</summary>
    public static CallToolResult NotQueued(IntakeOutcome outcome) => outcome switch
    {
        IntakeInvalid invalid => Error($"{IntakeProblems.InvalidTitle}\n" +
            string.Join('\n', invalid.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))),
        IntakeRefused refused => Error($"{refused.Title} ({refused.Reason}): {refused.Detail} Retry after {refused.RetryAfterSeconds} s."),
        _ => Error($"not run: {outcome.GetType().Name}"),
    };

    /// <summary>
    /// A run's record: a text report (status, exit, stdout, stderr), then its outputs (PNG as images, text as text, HTML as
    /// an embedded text/html resource). A run that did not complete, or has not ended within its wait, is a tool error.
    /// </summary>
    public static CallToolResult Ran(ExecutionRecord record)
    {
        var content = new List<ContentBlock> { new TextContentBlock { Text = Report(record) } };
        var index = 0;
        foreach (var output in record.Outputs ?? [])
        {
            content.Add(output.Type switch
            {
                RichOutput.Png => ImageContentBlock.FromBytes(Convert.FromBase64String(output.Data), RichOutput.Png),
                RichOutput.Html => new EmbeddedResourceBlock
                {
                    Resource = new TextResourceContents { Uri = $"codify://executions/{record.Id}/outputs/{index}", MimeType = RichOutput.Html, Text = output.Data },
                },
                _ => new TextContentBlock { Text = output.Data },
            });
            index++;
        }

        return new CallToolResult { Content = content, IsError = record.Status is not (ExecutionStatus.Completed or ExecutionStatus.Accepted) };
    }

    private static string Report(ExecutionRecord record)
    {
        var text = new StringBuilder($"status: {record.Status.ToWire()}");
        if (!record.Status.IsTerminal())
        {
            text.Append(CultureInfo.InvariantCulture, $" (not ended yet; execution id {record.Id}: GET /api/execute/{record.Id})");
        }

        text.Append(record.ExitCode is { } exit ? string.Create(CultureInfo.InvariantCulture, $", exit code {exit}") : "");
        text.Append(record.Signal is { } signal ? $", signal {signal}" : "");
        text.Append(record.WallTimeMs is { } wall ? string.Create(CultureInfo.InvariantCulture, $", {wall} ms") : "");
        text.Append(record.Message is { } message ? $"\nmessage: {message}" : "");
        text.Append(record.Stdout is { Length: > 0 } stdout ? $"\nstdout:\n{stdout}" : "");
        text.Append(record.Stderr is { Length: > 0 } stderr ? $"\nstderr:\n{stderr}" : "");
        text.Append(record.OutputsTruncated is true ? "\n(some outputs were left out: over the server's caps)" : "");
        return text.ToString();
    }
}
