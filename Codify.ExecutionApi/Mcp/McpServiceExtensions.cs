namespace Codify.ExecutionApi.Mcp;

/// <summary>
/// The Model Context Protocol server at <c>/mcp</c> (Streamable HTTP, stateless: any API replica answers any call, as for
/// REST). Its tools are transports like the others: each calls the intake or the session service and only maps the outcome.
/// API keys apply as everywhere: <c>/mcp</c> carries no AllowAnonymous, so the fallback policy asks for a key when keys are set.
/// </summary>
public static class McpServiceExtensions
{
    public const string Path = "/mcp";

    public static IHostApplicationBuilder AddCodifyMcp(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<McpCaller>();
        builder.Services.AddMcpServer(server =>
            {
                server.ServerInfo = new() { Name = "codify", Version = typeof(McpServiceExtensions).Assembly.GetName().Version?.ToString() ?? "1.0" };
                server.ServerInstructions = "Runs python and javascript in an isolated sandbox. run_code runs one program and returns " +
                    "its output, matplotlib figures as images and the value of a trailing expression; sessions keep state between runs.";
            })
            .WithHttpTransport(http => http.Stateless = true)
            .WithTools<RunCodeTool>()
            .WithTools<SessionTools>();
        return builder;
    }

    public static IEndpointConventionBuilder MapCodifyMcp(this IEndpointRouteBuilder app) => app.MapMcp(Path);
}
