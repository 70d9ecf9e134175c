using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Codify.Contracts;
using Codify.Tests.Sockets;
using static Codify.Tests.Piston.PistonConnectClient;

namespace Codify.Tests.Piston;

/// <summary><c>/api/v2/connect</c> refusing what Piston refuses, with Piston's <c>error</c> message and close codes, and Codify's limits.</summary>
[Collection(SocketStackGroup.Name)]
[ApiTier]
public sealed class PistonConnectProtocolTests(SocketStackFixture stack)
{
    private const string AwaitsInput = "print('ready', flush=True)\ninput()";

    [Theory]
    [InlineData("""{"language":"cobol","version":"*","files":[{"content":"x"}]}""", "language")]
    [InlineData("""{"language":"python","version":"2","files":[{"content":"print(1)"}]}""", "python-2 runtime is unknown")]
    [InlineData("""{"language":"python","version":"*"}""", "files is required as an array")]
    [InlineData("""{"language":"python","version":"*","files":[{"name":"a.py"}]}""", "files[0].content is required as a string")]
    [InlineData("""{"language":"python","version":"*","files":"print(1)"}""", "files has the wrong type: expected an array")]
    [InlineData("""{"version":"*","files":[{"content":"print(1)"}]}""", "language is required as a string")]
    public async Task An_invalid_init_gets_an_error_message_then_close_4002(string fields, string expected)
    {
        await using var piston = await ConnectAsync(stack.A);

        await piston.Socket.SendTextAsync("""{"type":"init",""" + fields[1..]);
        var messages = await piston.ReceiveUntilClosedAsync();

        var error = Assert.Single(messages);
        Assert.Equal("error", Type(error));
        Assert.Contains(expected, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(4002, (int)piston.CloseStatus!);
        Assert.Equal("Notified Error", piston.CloseReason);
    }

    [Fact]
    public async Task A_message_that_is_not_json_gets_an_error_then_close_4002()
    {
        await using var piston = await ConnectAsync(stack.A);

        await piston.Socket.SendTextAsync("init please");
        var error = Assert.Single(await piston.ReceiveUntilClosedAsync());

        Assert.Equal("error", Type(error));
        Assert.Contains("not valid JSON", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(4002, (int)piston.CloseStatus!);
    }

    [Theory]
    [InlineData("""{"type":"data","stream":"stdin","data":"1\n"}""")]
    [InlineData("""{"type":"signal","signal":"SIGKILL"}""")]
    public async Task Data_or_signal_before_init_closes_4003(string message)
    {
        await using var piston = await ConnectAsync(stack.A);

        await piston.Socket.SendTextAsync(message);

        Assert.Empty(await piston.ReceiveUntilClosedAsync());
        Assert.Equal(4003, (int)piston.CloseStatus!);
        Assert.Equal("Not yet initialized", piston.CloseReason);
    }

    [Fact]
    public async Task No_init_within_the_timeout_closes_4001()
    {
        await using var piston = await ConnectAsync(stack.A);

        Assert.Empty(await piston.ReceiveUntilClosedAsync());
        Assert.Equal(4001, (int)piston.CloseStatus!);
        Assert.Equal("Initialization Timeout", piston.CloseReason);
    }

    [Theory]
    [InlineData("""{"type":"init","language":"python","files":[{"content":"print(2)"}]}""", 4000, "Already Initialized")]
    [InlineData("""{"type":"data","stream":"stdout","data":"x"}""", 4004, "Can only write to stdin")]
    [InlineData("""{"type":"signal","signal":"SIGFOO"}""", 4005, "Invalid signal")]
    public async Task Out_of_turn_messages_during_a_run_close_with_pistons_code_and_cancel_the_run(string message, int code, string reason)
    {
        await using var piston = await StartAsync(stack.A, "python", AwaitsInput);
        var id = (await piston.ReceiveAsync()).GetProperty("executionId").GetString()!;
        await piston.ReceiveUntilAsync("data", "ready");

        await piston.Socket.SendTextAsync(message);
        var after = await piston.ReceiveUntilClosedAsync();
        var clock = Stopwatch.StartNew();
        var record = await stack.WaitForEndAsync(id); // the client has not answered the close: the server does not wait for it

        Assert.DoesNotContain(after, m => Type(m) == "exit");
        Assert.Equal(code, (int)piston.CloseStatus!);
        Assert.Equal(reason, piston.CloseReason);
        Assert.Equal(ExecutionStatus.Cancelled, record.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the run ended {clock.Elapsed} after the close");
    }

    [Fact]
    public async Task Unknown_message_types_are_ignored_as_piston_ignores_them()
    {
        await using var piston = await ConnectAsync(stack.A);

        await piston.SendAsync(new { type = "hello" });
        await piston.InitAsync(new { language = "python", version = "3", files = new[] { new { content = "print('fine')" } } });
        var messages = await piston.ReceiveUntilClosedAsync();

        Assert.Equal("fine\n", Output(messages, "stdout"));
        Assert.Equal(4999, (int)piston.CloseStatus!);
    }

    [Fact]
    public async Task A_rate_limited_client_gets_the_refusal_as_an_error()
    {
        var key = SocketStackFixture.Keys[8]; // Strict allows one execution per client per window
        await using (var first = await StartAsync(stack.Strict, "python", "print(1)", apiKey: key))
        {
            Assert.Equal("exit", Type((await first.ReceiveUntilClosedAsync())[^1]));
        }

        await using var second = await StartAsync(stack.Strict, "python", "print(2)", apiKey: key);
        var error = Assert.Single(await second.ReceiveUntilClosedAsync());

        Assert.Equal("error", Type(error));
        Assert.Contains("RATE_LIMIT_POINTS", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(4002, (int)second.CloseStatus!);
    }

    [Fact]
    public async Task Sockets_per_client_are_one_budget_with_codifys_own_websocket()
    {
        var key = SocketStackFixture.Keys[9];
        await using var codify = await SocketClient.ConnectAsync(stack.Strict.WebSocketUri("/ws"), key);
        await using var piston = await ConnectAsync(stack.Strict, key);

        await using var third = await ConnectAsync(stack.Strict, key);
        var error = Assert.Single(await third.ReceiveUntilClosedAsync());

        Assert.Contains("WebSockets:MaxConnectionsPerClient", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(4002, (int)third.CloseStatus!);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_gets_an_error_then_close_1009()
    {
        await using var piston = await ConnectAsync(stack.Strict, SocketStackFixture.Keys[10]);

        await piston.InitAsync(new { language = "python", files = new[] { new { content = $"# {new string('x', SocketStackFixture.StrictMaxMessageBytes)}" } } });
        var error = Assert.Single(await piston.ReceiveUntilClosedAsync());

        Assert.Contains("WebSockets:MaxMessageBytes", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.MessageTooBig, piston.CloseStatus);
    }

    [Fact]
    public async Task A_plain_get_is_a_426_problem_with_pistons_message()
    {
        using var response = await stack.A.Client.GetAsync("/api/v2/connect");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
        Assert.Equal("websocket", Assert.Single(response.Headers.Upgrade).Name);
        Assert.Contains("WebSocket", problem.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
