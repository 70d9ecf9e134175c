using System.Text.Json;
using Codify.Contracts;
using static Codify.Tests.Sockets.SocketClient;

namespace Codify.Tests.Sockets;

/// <summary>Live execution over a real WebSocket (Kestrel on 127.0.0.1), with real Redis and the real Sandbox.</summary>
[Collection(SocketStackGroup.Name)]
[ApiTier]
public sealed class SocketExecutionTests(SocketStackFixture stack)
{
    /// <summary>One write, so that the first stdout event is the whole line.</summary>
    private const string Sleeper = "import sys, time\nsys.stdout.write('sleeping\\n')\nsys.stdout.flush()\ntime.sleep(25)\nprint('woke')";

    [Fact]
    public async Task The_seed_snippet_subscribes_at_the_root_and_receives_the_whole_run()
    {
        var id = await stack.StartAsync("import time\nfor i in range(3):\n    print(f'line {i}', flush=True)\n    time.sleep(0.3)");
        await using var ws = await ConnectAsync(stack.A.WebSocketUri("/"));

        await ws.SendTextAsync($$"""{"type":"subscribe","executionId":"{{id}}"}""");
        var messages = await ws.ReceiveUntilCompletedAsync(id);

        Assert.Equal("subscribed", Type(messages[0]));
        Assert.Equal(id, messages[0].GetProperty("executionId").GetString());
        var events = Events(messages, id);
        Assert.Equal(messages.Count - 1, events.Count);
        Assert.Equal([ExecutionEventType.Queued, ExecutionEventType.Started], events.Take(2).Select(e => e.Type));
        Assert.Equal("line 0\nline 1\nline 2\n", Output(events, ExecutionEventType.Stdout));
        AssertSequencesOneToN(events);
        var record = await stack.GetAsync(id);
        Assert.Equal(JsonSerializer.Serialize(record, CodifyJson.Options), messages[^1].GetProperty("record").GetRawText());
    }

    [Fact]
    public async Task Execute_on_ws_is_accepted_with_its_id_then_streams_its_events()
    {
        await using var ws = await ConnectAsync(stack.A.WebSocketUri("/ws"));

        await ws.SendAsync(new { type = "execute", requestId = "r1", language = "py", code = "print('hi')" });
        var accepted = (await ws.ReceiveAsync())!.Value;
        Assert.Equal("accepted", Type(accepted));
        Assert.Equal("r1", accepted.GetProperty("requestId").GetString());
        var id = accepted.GetProperty("executionId").GetString()!;
        Assert.Equal(id, accepted.GetProperty("execution").GetProperty("id").GetString());
        var events = Events(await ws.ReceiveUntilCompletedAsync(id), id);

        Assert.Equal(ExecutionEventType.Queued, events[0].Type);
        Assert.Equal(ExecutionStatus.Completed, events[^1].Record?.Status);
        Assert.Equal("hi\n", events[^1].Record?.Stdout);
        AssertSequencesOneToN(events);
    }

    [Fact]
    public async Task Interleaved_stdout_and_stderr_keep_their_order()
    {
        await using var ws = await ConnectAsync(stack.A.WebSocketUri());
        var code = "import sys, time\nfor i in range(3):\n    print(f'o{i}', flush=True)\n    time.sleep(0.2)\n"
            + "    print(f'e{i}', file=sys.stderr, flush=True)\n    time.sleep(0.2)";

        await ws.SendAsync(new { type = "execute", language = "python", code });
        var id = (await ws.ReceiveAsync())!.Value.GetProperty("executionId").GetString()!;
        var events = Events(await ws.ReceiveUntilCompletedAsync(id), id);

        var lines = events.Where(e => e.Type is ExecutionEventType.Stdout or ExecutionEventType.Stderr)
            .SelectMany(e => e.Data!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => $"{e.Type}:{l}".ToLowerInvariant()));
        Assert.Equal(["stdout:o0", "stderr:e0", "stdout:o1", "stderr:e1", "stdout:o2", "stderr:e2"], lines);
        AssertSequencesOneToN(events);
    }

    [Fact]
    public async Task A_late_subscriber_gets_every_earlier_event_then_live_ones_without_gap_or_duplicate()
    {
        var id = await stack.StartAsync("import time\nfor i in range(6):\n    print(f'n{i}', flush=True)\n    time.sleep(0.3)");
        await using var early = await ConnectAsync(stack.A.WebSocketUri());
        await early.SendAsync(new { type = "subscribe", executionId = id });
        await early.ReceiveUntilAsync(m => Type(m) == "stdout"); // the run is under way

        await using var late = await ConnectAsync(stack.A.WebSocketUri());
        await late.SendAsync(new { type = "subscribe", executionId = id });
        var lateEvents = Events(await late.ReceiveUntilCompletedAsync(id), id);
        var earlyEvents = Events(await early.ReceiveUntilCompletedAsync(id), id);

        AssertSequencesOneToN(lateEvents);
        Assert.Equal(earlyEvents[^1].Sequence, lateEvents[^1].Sequence);
        Assert.Equal(string.Concat(Enumerable.Range(0, 6).Select(i => $"n{i}\n")), Output(lateEvents, ExecutionEventType.Stdout));
    }

    [Fact]
    public async Task A_subscriber_after_the_end_gets_the_replay_ending_in_completed()
    {
        var id = await stack.StartAsync("import sys\nprint('out')\nprint('err', file=sys.stderr)");
        var record = await stack.WaitForEndAsync(id);
        await using var ws = await ConnectAsync(stack.B.WebSocketUri());

        await ws.SendAsync(new { type = "subscribe", executionId = id });
        var events = Events(await ws.ReceiveUntilCompletedAsync(id), id);

        Assert.Equal([ExecutionEventType.Queued, ExecutionEventType.Started], events.Take(2).Select(e => e.Type));
        Assert.Equal("out\n", Output(events, ExecutionEventType.Stdout));
        Assert.Equal("err\n", Output(events, ExecutionEventType.Stderr));
        Assert.Equal(record.Status, events[^1].Record?.Status);
        AssertSequencesOneToN(events);
        await ws.SendAsync(new { type = "ping" });
        Assert.Equal("pong", Type((await ws.ReceiveAsync())!.Value)); // the subscription ended, the socket did not
    }

    [Fact]
    public async Task Stdin_feeds_an_interactive_program_that_answers_each_line()
    {
        await using var ws = await ConnectAsync(stack.A.WebSocketUri());
        var code = "name = input()\nprint(f'hello {name}')\nage = input()\nprint(f'{name} is {age}')";
        await ws.SendAsync(new { type = "execute", language = "python", code, interactive = true, timeout = 20 });
        var id = (await ws.ReceiveAsync())!.Value.GetProperty("executionId").GetString()!;
        var messages = await ws.ReceiveUntilAsync(m => Type(m) == "started");

        await ws.SendAsync(new { type = "stdin", executionId = id, data = "ada\n" });
        messages.AddRange(await ws.ReceiveUntilAsync(m => Type(m) == "stdout" && m.GetProperty("data").GetString()!.Contains("hello ada", StringComparison.Ordinal)));
        // The second line is sent only once the first answer arrived: the program really answers line by line.
        var firstAnswer = Event(messages[^1]).Sequence;
        await ws.SendAsync(new { type = "stdin", executionId = id, data = "36\n", eof = true });
        messages.AddRange(await ws.ReceiveUntilCompletedAsync(id));
        await ws.SendAsync(new { type = "stdin", executionId = id, data = "late\n" });
        var late = (await ws.ReceiveAsync())!.Value;

        Assert.Equal(2, messages.Count(m => Type(m) == "stdin_sent"));
        var events = Events(messages, id);
        AssertSequencesOneToN(events);
        Assert.Equal("hello ada\nada is 36\n", events[^1].Record?.Stdout);
        Assert.True(events.First(e => e.Data?.Contains("ada is 36", StringComparison.Ordinal) == true).Sequence > firstAnswer);
        Assert.Equal("stdin_closed", late.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Stdin_for_a_program_that_is_not_interactive_is_refused()
    {
        var id = await stack.StartAsync("import time\ntime.sleep(2)");
        await using var ws = await ConnectAsync(stack.A.WebSocketUri());

        await ws.SendAsync(new { type = "stdin", executionId = id, data = "x\n" });
        var error = (await ws.ReceiveAsync())!.Value;

        Assert.Equal("not_interactive", error.GetProperty("code").GetString());
        Assert.Contains("interactive", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kill_cancels_a_running_execution_and_subscribers_see_it_end_cancelled()
    {
        await using var ws = await ConnectAsync(stack.A.WebSocketUri());
        await ws.SendAsync(new { type = "execute", language = "python", code = Sleeper, timeout = 30 });
        var id = (await ws.ReceiveAsync())!.Value.GetProperty("executionId").GetString()!;
        await ws.ReceiveUntilAsync(m => Type(m) == "stdout");

        await ws.SendAsync(new { type = "kill", executionId = id });
        var messages = await ws.ReceiveUntilCompletedAsync(id);

        var result = Assert.Single(messages, m => Type(m) == "kill_result");
        Assert.Equal("kill_requested", result.GetProperty("outcome").GetString());
        Assert.Equal(ExecutionStatus.Cancelled, Event(messages[^1]).Record?.Status);
    }

    [Fact]
    public async Task Closing_the_socket_that_started_an_execution_cancels_it()
    {
        string id;
        await using (var ws = await ConnectAsync(stack.A.WebSocketUri()))
        {
            await ws.SendAsync(new { type = "execute", language = "python", code = Sleeper, timeout = 30 });
            id = (await ws.ReceiveAsync())!.Value.GetProperty("executionId").GetString()!;
            await ws.ReceiveUntilAsync(m => Type(m) == "stdout");
        }

        var record = await stack.WaitForEndAsync(id);

        Assert.Equal(ExecutionStatus.Cancelled, record.Status);
        Assert.Equal("sleeping\n", record.Stdout);
    }

    [Fact]
    public async Task Closing_a_socket_that_only_subscribed_cancels_nothing()
    {
        var id = await stack.StartAsync("import time\nprint('a', flush=True)\ntime.sleep(1)\nprint('b')");
        await using (var ws = await ConnectAsync(stack.A.WebSocketUri()))
        {
            await ws.SendAsync(new { type = "subscribe", executionId = id });
            await ws.ReceiveUntilAsync(m => Type(m) == "stdout");
        }

        var record = await stack.WaitForEndAsync(id);

        Assert.Equal(ExecutionStatus.Completed, record.Status);
        Assert.Equal("a\nb\n", record.Stdout);
    }

    [Fact]
    public async Task Any_replica_serves_any_subscriber_and_any_replica_can_kill()
    {
        await using var onA = await ConnectAsync(stack.A.WebSocketUri());
        await using var onB = await ConnectAsync(stack.B.WebSocketUri("/ws"));
        await onA.SendAsync(new { type = "execute", language = "python", code = Sleeper, timeout = 30 });
        var id = (await onA.ReceiveAsync())!.Value.GetProperty("executionId").GetString()!;

        await onB.SendAsync(new { type = "subscribe", executionId = id });
        var onBMessages = await onB.ReceiveUntilAsync(m => Type(m) == "stdout");
        await onB.SendAsync(new { type = "kill", executionId = id });
        onBMessages.AddRange(await onB.ReceiveUntilCompletedAsync(id));
        var onAEvents = Events(await onA.ReceiveUntilCompletedAsync(id), id);

        var onBEvents = Events(onBMessages, id);
        AssertSequencesOneToN(onBEvents);
        Assert.Equal(onAEvents.Select(e => (e.Sequence, e.Type, e.Data)), onBEvents.Select(e => (e.Sequence, e.Type, e.Data)));
        Assert.Equal(ExecutionStatus.Cancelled, onBEvents[^1].Record?.Status);
    }

    /// <summary>One stream's chunks joined: how the program's writes were split into events is not fixed.</summary>
    internal static string Output(IEnumerable<ExecutionEvent> events, ExecutionEventType stream) =>
        string.Concat(events.Where(e => e.Type == stream).Select(e => e.Data));

    internal static void AssertSequencesOneToN(List<ExecutionEvent> events)
    {
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(ExecutionEventType.Completed, events[^1].Type);
    }
}
