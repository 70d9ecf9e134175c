using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Codify.Contracts;
using Codify.Tests.Api.Admission;
using Codify.Tests.Infrastructure;
using Codify.Tests.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Codify.Tests.Api.Intake;

/// <summary>When the API starts to stop, waiting requests (wait=true) and WebSockets end cleanly at once instead of being cut off.</summary>
[ApiTier]
public sealed class ApiStoppingTests
{
    [Fact]
    public async Task A_waiting_request_answers_202_with_where_to_poll_when_the_api_stops()
    {
        // A sandbox is advertised but none runs: the execution stays queued and the request would wait ~40 s.
        await using var host = await AdmissionHost.StartAsync();
        await using var api = KestrelApi.Start(host.Redis.ConnectionString);
        var waiting = api.Client.PostAsJsonAsync("/api/execute?wait=true", AdmissionHost.Program);
        await Eventually.ReturnsAsync(() => host.Redis.Db.StreamLengthAsync(RedisKeys.JobStream), n => n == 1,
            TimeSpan.FromSeconds(10), "the execution to be queued");

        api.Factory.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        using var response = await waiting.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var record = await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options);
        Assert.Equal(ExecutionStatus.Queued, record!.Status);
        Assert.Equal($"/api/execute/{record.Id}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task An_open_websocket_is_closed_as_going_away_when_the_api_stops()
    {
        await using var host = await AdmissionHost.StartAsync();
        await using var api = KestrelApi.Start(host.Redis.ConnectionString);
        await using var socket = await SocketClient.ConnectAsync(api.WebSocketUri("/ws"));
        await socket.SendAsync(new { type = "ping", requestId = "p" });
        Assert.Equal("pong", SocketClient.Type((await socket.ReceiveAsync())!.Value));

        api.Factory.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        var closed = await socket.ReceiveAsync(TimeSpan.FromSeconds(5));

        Assert.Null(closed);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, socket.Socket.CloseStatus);
    }
}
