using System.Diagnostics;
using System.Text.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;
using Codify.Tests.Sockets;
using static Codify.Tests.Piston.PistonConnectClient;

namespace Codify.Tests.Piston;

/// <summary>Piston's interactive WebSocket, <c>/api/v2/connect</c>, running real programs in the real Sandbox.</summary>
[Collection(SocketStackGroup.Name)]
[ApiTier]
public sealed class PistonConnectTests(SocketStackFixture stack)
{
    /// <summary>Waits far longer than the tests below take, so that only a kill or a cancel ends it in time.</summary>
    private const string Sleeper = "import time\nprint('started', flush=True)\ntime.sleep(25)";

    [Fact]
    public async Task Python_answers_runtime_stage_data_and_exit_in_order_then_closes_with_job_completed()
    {
        var python = await InstalledRuntimes.PythonAsync();
        await using var piston = await StartAsync(stack.A, "python", "import sys\nprint('out', flush=True)\nprint('err', file=sys.stderr, flush=True)\nsys.exit(3)");

        var messages = await piston.ReceiveUntilClosedAsync();

        Assert.Equal(["runtime", "stage"], messages.Take(2).Select(Type));
        Assert.Equal("exit", Type(messages[^1]));
        Assert.All(messages[2..^1], m => Assert.Equal("data", Type(m)));
        Assert.Equal("python", messages[0].GetProperty("language").GetString());
        Assert.Equal(python, messages[0].GetProperty("version").GetString());
        Assert.Equal("run", messages[1].GetProperty("stage").GetString());
        Assert.Equal("out\n", Output(messages, "stdout"));
        Assert.Equal("err\n", Output(messages, "stderr"));
        var exit = messages[^1];
        Assert.Equal("run", exit.GetProperty("stage").GetString());
        Assert.Equal(3, exit.GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Null, exit.GetProperty("signal").ValueKind);
        Assert.Equal(4999, (int)piston.CloseStatus!);
        Assert.Equal("Job Completed", piston.CloseReason);
    }

    [Fact]
    public async Task Javascript_by_alias_reports_the_canonical_language_and_its_node_version()
    {
        var node = await InstalledRuntimes.NodeAsync();
        await using var piston = await StartAsync(stack.A, "js", "console.log('Hello, World!')");

        var messages = await piston.ReceiveUntilClosedAsync();

        Assert.Equal(["runtime", "stage", "data", "exit"], messages.Select(Type));
        Assert.Equal("javascript", messages[0].GetProperty("language").GetString());
        Assert.Equal(node, messages[0].GetProperty("version").GetString());
        Assert.Equal("Hello, World!\n", Output(messages, "stdout"));
        Assert.Equal(0, messages[^1].GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.Null, messages[^1].GetProperty("signal").ValueKind);
    }

    [Fact]
    public async Task Stdin_data_answers_input_while_the_program_runs_and_a_harmless_signal_leaves_it_running()
    {
        await using var piston = await StartAsync(stack.A, "python",
            "for question in ('name?', 'age?'):\n    print(question, flush=True)\n    print('got', input(), flush=True)");

        await piston.ReceiveUntilAsync("data", "name?");
        await piston.SignalAsync("SIGWINCH"); // the CLI forwards a terminal resize; a program without handlers ignores it
        await piston.WriteStdinAsync("Ada\n");
        await piston.ReceiveUntilAsync("data", "age?");
        await piston.WriteStdinAsync("36\n");
        var rest = await piston.ReceiveUntilClosedAsync();

        Assert.Contains("got 36", Output(rest, "stdout"), StringComparison.Ordinal);
        Assert.Equal(0, rest[^1].GetProperty("code").GetInt32());
        Assert.Equal(4999, (int)piston.CloseStatus!);
    }

    [Fact]
    public async Task Eof_on_a_stdin_data_message_ends_the_input_of_a_program_that_reads_it_all()
    {
        await using var piston = await StartAsync(stack.A, "python", "import sys\nprint(len(sys.stdin.read()), flush=True)");
        await piston.ReceiveUntilAsync("stage");

        await piston.SendAsync(new { type = "data", stream = "stdin", data = "abc" });
        await piston.SendAsync(new { type = "data", stream = "stdin", data = "de", eof = true });
        var rest = await piston.ReceiveUntilClosedAsync();

        Assert.Equal("5\n", Output(rest, "stdout"));
        Assert.Equal(0, rest[^1].GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_sigkill_signal_ends_a_long_running_program_at_once()
    {
        await using var piston = await StartAsync(stack.A, "python", Sleeper, runTimeoutMs: 25_000);
        var id = (await piston.ReceiveAsync()).GetProperty("executionId").GetString()!;
        await piston.ReceiveUntilAsync("data", "started");

        var clock = Stopwatch.StartNew();
        await piston.SignalAsync("SIGKILL");
        var exit = (await piston.ReceiveUntilClosedAsync())[^1];

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the exit came {clock.Elapsed} after the signal");
        Assert.Equal("exit", Type(exit));
        Assert.Equal(JsonValueKind.Null, exit.GetProperty("code").ValueKind);
        Assert.Equal("SIGKILL", exit.GetProperty("signal").GetString());
        Assert.Equal(ExecutionStatus.Cancelled, (await stack.GetAsync(id)).Status);
    }

    [Fact]
    public async Task A_time_limit_exits_with_sigkill_and_pistons_to_status()
    {
        await using var piston = await StartAsync(stack.A, "python", "while True:\n    pass", runTimeoutMs: 1000);

        var exit = (await piston.ReceiveUntilClosedAsync())[^1];

        Assert.Equal("exit", Type(exit));
        Assert.Equal(JsonValueKind.Null, exit.GetProperty("code").ValueKind);
        Assert.Equal("SIGKILL", exit.GetProperty("signal").GetString());
        Assert.Equal("TO", exit.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Closing_the_socket_cancels_the_run()
    {
        string id;
        await using (var piston = await StartAsync(stack.A, "python", Sleeper, runTimeoutMs: 25_000))
        {
            id = (await piston.ReceiveAsync()).GetProperty("executionId").GetString()!;
            await piston.ReceiveUntilAsync("data", "started");
        }

        var clock = Stopwatch.StartNew();
        var record = await stack.WaitForEndAsync(id);

        Assert.Equal(ExecutionStatus.Cancelled, record.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the run ended {clock.Elapsed} after the close");
    }
}
