using Codify.ExecutionApi.Cancellation;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Interactive;
using Codify.ExecutionApi.Streaming;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Sockets;

/// <summary>The shared services every WebSocket session uses.</summary>
public sealed class SocketServices(
    IOptions<SocketOptions> options,
    SocketRegistry registry,
    SocketExecutor executor,
    EventReplay replay,
    ExecutionStore store,
    ExecutionCanceller canceller,
    StdinRelay stdin,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers)
{
    public SocketOptions Options => options.Value;

    public SocketRegistry Registry => registry;

    public SocketExecutor Executor => executor;

    public EventReplay Replay => replay;

    public ExecutionStore Store => store;

    public ExecutionCanceller Canceller => canceller;

    public StdinRelay Stdin => stdin;

    public IHostApplicationLifetime Lifetime => lifetime;

    public ILogger Logger { get; } = loggers.CreateLogger("Codify.ExecutionApi.Sockets");
}
