using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Sockets;
using Codify.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Codify.Tests.Sockets.SocketClient;

namespace Codify.Tests.Sockets;

/// <summary>Errors, limits and the slow reader, over a real WebSocket.</summary>
[Collection(SocketStackGroup.Name)]
[ApiTier]
public sealed class SocketProtocolTests(SocketStackFixture stack)
{
    [Fact]
    public async Task Every_bad_message_gets_an_error_and_the_socket_stays_open()
    {
        await using var ws = await ConnectAsync(stack.A.WebSocketUri());
        var unknownId = Guid.NewGuid().ToString("N");

        var answers = new List<JsonElement>();
        foreach (var text in new[]
        {
            "not json",
            "[1,2]",
            """{"executionId":"x"}""",
            """{"type":"subscribe","executionId":5,"requestId":"typed"}""",
            """{"type":"dance"}""",
            """{"type":"subscribe"}""",
            $$"""{"type":"subscribe","executionId":"{{unknownId}}","requestId":"q"}""",
            $$"""{"type":"kill","executionId":"{{unknownId}}"}""",
            $$"""{"type":"unsubscribe","executionId":"{{unknownId}}"}""",
            """{"type":"execute","language":"cobol","code":""}""",
            """{"type":"execute","language":"python","code":"print(1)","timeout":"soon","requestId":"late"}""",
        })
        {
            await ws.SendTextAsync(text);
            answers.Add((await ws.ReceiveAsync())!.Value);
        }

        Assert.All(answers, a => Assert.Equal("error", Type(a)));
        Assert.All(answers, a => Assert.False(string.IsNullOrWhiteSpace(a.GetProperty("message").GetString())));
        Assert.Equal(
            ["malformed", "malformed", "malformed", "malformed", "unknown_type", "malformed", "unknown_execution", "unknown_execution", "not_subscribed", "validation", "malformed"],
            answers.Select(a => a.GetProperty("code").GetString()));
        Assert.Equal("q", answers[6].GetProperty("requestId").GetString());
        Assert.Equal("typed", answers[3].GetProperty("requestId").GetString());
        Assert.Contains("expected a string", answers[3].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("late", answers[10].GetProperty("requestId").GetString());
        Assert.Equal("expected a number", answers[10].GetProperty("errors").GetProperty("$.timeout")[0].GetString());
        Assert.Equal(unknownId, answers[6].GetProperty("executionId").GetString());
        Assert.Contains("language", answers[9].GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Contains("code", answers[9].GetProperty("errors").EnumerateObject().Select(p => p.Name));

        await ws.SendAsync(new { type = "ping", requestId = "still-there" });
        var pong = (await ws.ReceiveAsync())!.Value;
        Assert.Equal("pong", Type(pong));
        Assert.Equal("still-there", pong.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task A_message_over_the_size_limit_or_in_binary_is_refused_and_the_next_one_works()
    {
        await using var ws = await ConnectAsync(stack.Strict.WebSocketUri(), SocketStackFixture.Keys[0]);

        await ws.SendTextAsync($$"""{"type":"ping","pad":"{{new string('x', SocketStackFixture.StrictMaxMessageBytes)}}"}""");
        var tooLarge = (await ws.ReceiveAsync())!.Value;
        await ws.Socket.SendAsync("""{"type":"ping"}"""u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
        var binary = (await ws.ReceiveAsync())!.Value;
        await ws.SendAsync(new { type = "ping" });
        var pong = (await ws.ReceiveAsync())!.Value;

        Assert.Equal("too_large", tooLarge.GetProperty("code").GetString());
        Assert.Contains("WebSockets:MaxMessageBytes", tooLarge.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("malformed", binary.GetProperty("code").GetString());
        Assert.Equal("pong", Type(pong));
    }

    [Fact]
    public async Task Api_keys_guard_the_upgrade()
    {
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(stack.Strict.WebSocketUri()));
        var wrongKey = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(stack.Strict.WebSocketUri(), "not-a-configured-key-at-all"));
        await using var ws = await ConnectAsync(stack.Strict.WebSocketUri("/ws"), SocketStackFixture.Keys[1]);
        await ws.SendAsync(new { type = "ping" });

        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
        Assert.Contains("401", wrongKey.Message, StringComparison.Ordinal);
        Assert.Equal("pong", Type((await ws.ReceiveAsync())!.Value));
    }

    [Fact]
    public async Task Browsers_may_connect_only_from_the_cors_origins()
    {
        var foreign = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(stack.A.WebSocketUri(), origin: "http://elsewhere.example"));
        await using var frontend = await ConnectAsync(stack.A.WebSocketUri(), origin: "http://localhost:3000");
        await frontend.SendAsync(new { type = "ping" });

        Assert.Contains("403", foreign.Message, StringComparison.Ordinal);
        Assert.Equal("pong", Type((await frontend.ReceiveAsync())!.Value));
    }

    [Fact]
    public async Task Connections_per_client_are_limited_with_a_clear_error()
    {
        var key = SocketStackFixture.Keys[2];
        await using var first = await ConnectAsync(stack.Strict.WebSocketUri(), key);
        await using var second = await ConnectAsync(stack.Strict.WebSocketUri(), key);
        await using var other = await ConnectAsync(stack.Strict.WebSocketUri(), SocketStackFixture.Keys[3]);

        await using var third = await ConnectAsync(stack.Strict.WebSocketUri(), key);
        var error = (await third.ReceiveAsync())!.Value;
        var closed = await third.ReceiveAsync();

        Assert.Equal("limit", error.GetProperty("code").GetString());
        Assert.Contains("WebSockets:MaxConnectionsPerClient", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Null(closed);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, third.Socket.CloseStatus);
        await second.SendAsync(new { type = "ping" });
        Assert.Equal("pong", Type((await second.ReceiveAsync())!.Value));
    }

    [Fact]
    public async Task Subscriptions_per_connection_are_limited()
    {
        var ids = new List<string>();
        for (var i = 0; i <= SocketStackFixture.StrictSubscriptions; i++)
        {
            ids.Add(await stack.StartAsync("import time\ntime.sleep(3)"));
        }

        await using var ws = await ConnectAsync(stack.Strict.WebSocketUri(), SocketStackFixture.Keys[4]);
        foreach (var id in ids)
        {
            await ws.SendAsync(new { type = "subscribe", executionId = id });
        }

        var answers = await ws.ReceiveUntilAsync(m => Type(m) == "error");
        Assert.Equal(SocketStackFixture.StrictSubscriptions, answers.Count(m => Type(m) == "subscribed"));
        Assert.Equal("limit", answers[^1].GetProperty("code").GetString());
        Assert.Equal(ids[^1], answers[^1].GetProperty("executionId").GetString());
    }

    [Fact]
    public async Task Execute_on_ws_is_rate_limited_like_post()
    {
        await using var ws = await ConnectAsync(stack.Strict.WebSocketUri(), SocketStackFixture.Keys[5]);

        await ws.SendAsync(new { type = "execute", language = "python", code = "print(1)" });
        var first = await ws.ReceiveUntilAsync(m => Type(m) is "accepted" or "error");
        await ws.SendAsync(new { type = "execute", language = "python", code = "print(2)" });
        var second = await ws.ReceiveUntilAsync(m => Type(m) == "error");

        Assert.Equal("accepted", Type(first[^1]));
        Assert.Equal("rate_limited", second[^1].GetProperty("code").GetString());
        Assert.True(second[^1].GetProperty("retryAfter").GetInt32() >= 1);
    }

    [Fact]
    public async Task A_slow_reader_gets_overflow_and_is_disconnected_without_slowing_the_run_or_other_clients()
    {
        // More output than the kernel can buffer on the way (the server's send buffer grows at most to tcp_wmem's
        // maximum; the client's receive buffer is fixed at 4 KiB), so the server's writer really blocks on this client.
        var wmemMax = long.Parse(File.ReadAllText("/proc/sys/net/ipv4/tcp_wmem").Split('\t', ' ')[^1].Trim(), CultureInfo.InvariantCulture);
        var lines = (wmemMax + (2 << 20)) / 2000;
        var code = $"import sys\nfor i in range({lines}):\n    sys.stdout.write(str(i).rjust(6) + 'x' * 1993 + '\\n')\n    sys.stdout.flush()";
        var id = await stack.StartAsync(code, limits: new { output = 16 << 20 });
        var registry = stack.Strict.Factory.Services.GetRequiredService<SocketRegistry>();
        var overflowsBefore = registry.Overflows;
        await using var slow = await ConnectAsync(stack.Strict.WebSocketUri(), SocketStackFixture.Keys[6], receiveBufferBytes: 4096);
        await using var fast = await ConnectAsync(stack.A.WebSocketUri());
        await slow.SendAsync(new { type = "subscribe", executionId = id });
        await fast.SendAsync(new { type = "subscribe", executionId = id });

        // The slow client reads nothing until the run has ended, the fast one has everything and the server gave up on it.
        var fastEvents = Events(await fast.ReceiveUntilCompletedAsync(id), id);
        var record = await stack.WaitForEndAsync(id);
        await Eventually.ReturnsAsync(() => Task.FromResult(registry.Overflows), n => n > overflowsBefore, TimeSpan.FromSeconds(30), "an overflow");
        var slowMessages = new List<JsonElement>();
        try
        {
            while (await slow.ReceiveAsync(TimeSpan.FromSeconds(20)) is { } message)
            {
                slowMessages.Add(message);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the slow reader was neither closed nor given overflow; it got {slowMessages.Count} messages: "
                + string.Join(", ", slowMessages.Select(m => Type(m))));
        }

        Assert.Equal(ExecutionStatus.Completed, record.Status);
        SocketExecutionTests.AssertSequencesOneToN(fastEvents);
        Assert.Equal(record.Stdout, string.Concat(fastEvents.Where(e => e.Type == ExecutionEventType.Stdout).Select(e => e.Data)));
        Assert.Equal("overflow", Type(slowMessages[^1]));
        Assert.Contains("WebSockets:SendBufferMessages", slowMessages[^1].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(slowMessages, m => Type(m) == "completed");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, slow.Socket.CloseStatus);
    }

    [Fact]
    public async Task A_replay_longer_than_the_send_buffer_reaches_a_reader_that_keeps_up()
    {
        var id = await stack.StartAsync("import time\nfor i in range(150):\n    print(i, flush=True)\n    time.sleep(0.002)");
        var record = await stack.WaitForEndAsync(id);
        await using var ws = await ConnectAsync(stack.Strict.WebSocketUri(), SocketStackFixture.Keys[7]);

        await ws.SendAsync(new { type = "subscribe", executionId = id });
        var events = Events(await ws.ReceiveUntilCompletedAsync(id), id);

        Assert.True(events.Count > 10 * SocketStackFixture.StrictSendBuffer, $"only {events.Count} events");
        SocketExecutionTests.AssertSequencesOneToN(events);
        Assert.Equal(record.Stdout, SocketExecutionTests.Output(events, ExecutionEventType.Stdout));
    }

    [Fact]
    public async Task Plain_http_on_the_socket_addresses_keeps_root_a_404_and_says_upgrade_on_ws()
    {
        using var root = await stack.A.Client.GetAsync("/");
        using var ws = await stack.A.Client.GetAsync("/ws");

        Assert.Equal(HttpStatusCode.NotFound, root.StatusCode);
        Assert.Equal(HttpStatusCode.UpgradeRequired, ws.StatusCode);
        Assert.Equal("application/problem+json", ws.Content.Headers.ContentType?.MediaType);
        Assert.Equal("websocket", Assert.Single(ws.Headers.Upgrade).Name);
    }
}
