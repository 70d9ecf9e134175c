using System.ComponentModel;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Intake;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Codify.ExecutionApi.Mcp;

/// <summary><c>run_code</c>: one execution through the intake, like <c>POST /api/execute?wait=true</c> with <c>outputs: true</c>.</summary>
[McpServerToolType]
public sealed class RunCodeTool(ExecutionIntake intake, McpCaller caller)
{
    [McpServerTool(Name = "run_code", Title = "Run code", OpenWorld = false)]
    [Description("Runs one program in an isolated sandbox (no network) and returns its stdout, stderr and exit status, " +
        "matplotlib figures as PNG images and the value of the program's last expression (python, as a notebook shows it). " +
        "The call is an error when the program did not complete (runtime error, time or memory limit) or was not accepted.")]
    public async Task<CallToolResult> RunAsync(
        [Description("python or javascript")] string language,
        [Description("The program's source code")] string code,
        [Description("Standard input given to the program")] string? stdin = null,
        [Description("Wall-clock limit in seconds (default: the server's)")] double? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var request = new ExecuteRequest { Language = language, Code = code, Stdin = stdin, Timeout = timeout, Outputs = true };
        var outcome = await intake.SubmitAsync(request, caller.Client, cancellationToken);
        if (outcome is not IntakeQueued queued)
        {
            return McpReplies.NotQueued(outcome);
        }

        var (record, _) = await intake.WaitForEndAsync(queued, cancellationToken);
        return McpReplies.Ran(record);
    }
}
