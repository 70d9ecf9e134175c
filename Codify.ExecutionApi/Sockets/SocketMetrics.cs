using System.Diagnostics.Metrics;
using Codify.Hosting;

namespace Codify.ExecutionApi.Sockets;

/// <summary>
/// <c>codify.api.websocket.connections</c> and <c>codify.api.websocket.overflows</c>, read from <see cref="SocketRegistry"/>.
/// A hosted service only so that its instruments exist from start-up, before the first socket.
/// </summary>
public sealed class SocketMetrics : IHostedService
{
    public SocketMetrics(IMeterFactory meters, SocketRegistry sockets)
    {
        var meter = meters.Create(CodifyTelemetry.MeterName);
        meter.CreateObservableGauge("codify.api.websocket.connections", () => (long)sockets.Count, unit: "{connection}",
            description: "Open WebSocket connections on this API replica");
        meter.CreateObservableCounter("codify.api.websocket.overflows", () => sockets.Overflows, unit: "{connection}",
            description: "WebSocket connections this API replica dropped because the client read too slowly");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
