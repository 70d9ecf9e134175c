using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.Contracts.Sessions;
using Codify.Tests.Sockets;
using static Codify.Tests.Sockets.SocketClient;

namespace Codify.Tests.Sessions;

/// <summary>A cell is an execution: it streams over the WebSocket and Server-Sent Events by its execution id, like any run.</summary>
[ApiTier]
[Collection(SocketStackGroup.Name)]
public sealed class SessionStreamingTests(SocketStackFixture stack)
{
    [Fact]
    public async Task A_cell_streams_over_the_websocket_by_its_execution_id()
    {
        var session = await SessionsFixture.CreateAsync(stack.A.Client);
        using var queued = await stack.A.Client.PostAsJsonAsync($"/api/sessions/{session.Id}/execute?wait=false",
            new { code = "import time\nfor i in range(3):\n    print(f'line {i}', flush=True)\n    time.sleep(0.2)\n'done'" });
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var cell = (await queued.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!;
        Assert.Equal(session.Id, cell.SessionId);

        await using var ws = await ConnectAsync(stack.B.WebSocketUri("/ws"));
        await ws.SendAsync(new { type = "subscribe", executionId = cell.Id });
        var events = Events(await ws.ReceiveUntilCompletedAsync(cell.Id), cell.Id);

        Assert.Equal([ExecutionEventType.Queued, ExecutionEventType.Started], events.Take(2).Select(e => e.Type));
        Assert.Equal("line 0\nline 1\nline 2\n", string.Concat(events.Where(e => e.Type == ExecutionEventType.Stdout).Select(e => e.Data)));
        var record = events[^1].Record!;
        Assert.Equal(ExecutionStatus.Completed, record.Status);
        Assert.Equal("'done'", Assert.Single(record.Outputs!).Data);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));

        var sse = await stack.A.Client.GetStringAsync($"/api/execute/{cell.Id}/events");
        Assert.Contains("line 2", sse, StringComparison.Ordinal);
        Assert.Contains("event: completed", sse, StringComparison.Ordinal);
        using var closed = await stack.A.Client.DeleteAsync($"/api/sessions/{session.Id}");
        Assert.Equal(SessionStatus.Ended, (await closed.Content.ReadFromJsonAsync<SessionInfo>(CodifyJson.Options))!.Status);
    }
}
