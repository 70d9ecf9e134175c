using Codify.ExecutionApi.Cancellation;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Intake;
using Codify.ExecutionApi.Interactive;
using Codify.ExecutionApi.Limits;
using Codify.ExecutionApi.Sockets;
using Codify.ExecutionApi.Streaming;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Piston.Connect;

/// <summary>The shared services every <c>/api/v2/connect</c> session uses: the one intake, and the same streaming, stdin, cancel and socket limits as Codify's own WebSocket.</summary>
public sealed class PistonConnectServices(
    IOptions<PistonConnectOptions> options,
    IOptions<SocketOptions> sockets,
    IOptions<ExecutionOptions> executions,
    IOptions<LimitOptions> limits,
    IOptions<JsonOptions> json,
    SocketRegistry registry,
    ExecutionIntake intake,
    EventReplay replay,
    StdinRelay stdin,
    ExecutionCanceller canceller,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers)
{
    public PistonConnectOptions Options => options.Value;

    public SocketOptions Sockets => sockets.Value;

    public ExecutionOptions Executions => executions.Value;

    public LimitOptions Limits => limits.Value;

    public System.Text.Json.JsonSerializerOptions Json => json.Value.SerializerOptions;

    public SocketRegistry Registry => registry;

    public ExecutionIntake Intake => intake;

    public EventReplay Replay => replay;

    public StdinRelay Stdin => stdin;

    public ExecutionCanceller Canceller => canceller;

    public IHostApplicationLifetime Lifetime => lifetime;

    public ILogger Logger { get; } = loggers.CreateLogger("Codify.ExecutionApi.Piston.Connect");
}
