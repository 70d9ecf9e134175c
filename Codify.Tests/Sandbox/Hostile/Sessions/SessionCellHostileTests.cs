using System.Text;
using Codify.Contracts;
using Codify.Contracts.Sessions;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Sandbox.Hostile.Sessions;

/// <summary>
/// A cell past a limit ends with the right status, and the session ends only when it must (saying so): a flood, a busy
/// loop or a cancel are interrupted and the session goes on; an interpreter that will not stop, is killed for memory or
/// exits ends the session. Either way ending the session leaves no process, cgroup or folder behind.
/// </summary>
[SandboxTier]
[Collection(SessionHostileGroup.Name)]
public sealed class SessionCellHostileTests(SessionSandboxRunnerFixture sandbox) : IClassFixture<SessionSandboxRunnerFixture>
{
    private const int Cap = 10_000;

    private static readonly ExecutionLimits Limits = SandboxRunnerFixture.Limits(wallMs: 8000, outputBytes: Cap) with { Processes = 32 };

    [Theory]
    [InlineData("while True:\n    print('x' * 1000)", true)]
    [InlineData("import sys\nwhile True:\n    sys.stderr.write('x' * 1000 + '\\n')", false)]
    public async Task An_output_flood_ends_its_cell_at_the_cap_streams_nothing_past_it_and_leaves_nothing_to_the_next_cell(string code, bool stdout)
    {
        var marker = HostChecks.NewMarker();
        var id = await sandbox.Sessions.StartAsync(marker, SessionTestSteps.Python, Limits);
        var streamed = new StringBuilder();

        var flood = await sandbox.Sessions.RunCellAsync(id, code, Limits, onOutput: (_, text) =>
        {
            lock (streamed)
            {
                streamed.Append(text);
            }
        });

        Assert.Equal(ExecutionStatus.OutputLimitExceeded, flood.Status);
        Assert.Null(flood.SessionEnded);
        Assert.Equal(Cap, (stdout ? flood.Stdout : flood.Stderr).Length);
        Assert.Equal("", stdout ? flood.Stderr : flood.Stdout);
        Assert.Equal(stdout, flood.StdoutTruncated);
        Assert.Equal(!stdout, flood.StderrTruncated);
        Assert.Equal(Cap, Encoding.UTF8.GetByteCount(streamed.ToString()));
        // What the cell wrote while it was being stopped is dropped, not handed to the next cell.
        await sandbox.AssertGoesOnAsync(id, "print('next')", "next\n", Limits);
        await sandbox.EndAndAssertGoneAsync(marker, id);
    }

    [Theory]
    [InlineData("python", "x = 41", "while True:\n    pass", "print(x + 1)")]
    [InlineData("javascript", "var x = 41", "for (;;) {}", "console.log(x + 1)")]
    public async Task A_busy_cell_is_stopped_at_its_cpu_limit_and_the_session_goes_on(string language, string set, string busy, string get)
    {
        var marker = HostChecks.NewMarker();
        // A wall limit far past the CPU limit: on a loaded host the cell gets a small share of a core.
        var limits = Limits with { CpuTimeMs = 1000, WallTimeMs = KernelUnderTest.Ms(60_000) };
        var id = await sandbox.Sessions.StartAsync(marker, language, limits);
        await sandbox.AssertGoesOnAsync(id, set, "", limits);

        var cell = await sandbox.Sessions.RunCellAsync(id, busy, limits);

        Assert.Equal(ExecutionStatus.TimeLimitExceeded, cell.Status);
        Assert.Equal("cpu", cell.LimitExceeded);
        Assert.Null(cell.SessionEnded);
        await sandbox.AssertGoesOnAsync(id, get, "42\n", limits);
        await sandbox.EndAndAssertGoneAsync(marker, id);
    }

    [Fact]
    public async Task A_cancelled_cell_is_interrupted_and_the_session_goes_on()
    {
        var marker = HostChecks.NewMarker();
        var id = await sandbox.Sessions.StartAsync(marker, SessionTestSteps.Python, Limits);
        using var cancel = new CancellationTokenSource();

        // Cancelled as soon as it says it runs: no guessing how long it takes to start.
        var cell = await sandbox.Sessions.RunCellAsync(id, "import time\nkept = 5\nprint('running', flush=True)\ntime.sleep(60)", Limits,
            onOutput: (_, text) => cancel.Cancel(), cancellationToken: cancel.Token);

        Assert.Equal(ExecutionStatus.Cancelled, cell.Status);
        Assert.Null(cell.SessionEnded);
        await sandbox.AssertGoesOnAsync(id, "print(kept)", "5\n", Limits);
        await sandbox.EndAndAssertGoneAsync(marker, id);
    }

    /// <summary>
    /// A SIGINT that lands as python lets go of the GIL to block (here a sleep) is taken by CPython's C handler while the
    /// call blocks on: rare, and then the session was killed. The cell takes the first signal itself, the same loss made
    /// certain; the kernel must send it again until python raises it.
    /// </summary>
    [Fact]
    public async Task An_interrupt_python_misses_is_sent_again_and_the_session_goes_on()
    {
        var marker = HostChecks.NewMarker();
        var id = await sandbox.Sessions.StartAsync(marker, SessionTestSteps.Python, Limits);
        using var cancel = new CancellationTokenSource();
        const string code = "import signal, time\nsignal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})\nprint('running', flush=True)\n"
            + "signal.sigwait({signal.SIGINT})\nsignal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})\ntime.sleep(60)";

        var cell = await sandbox.Sessions.RunCellAsync(id, code, Limits, onOutput: (_, text) => cancel.Cancel(), cancellationToken: cancel.Token);

        Assert.Equal(ExecutionStatus.Cancelled, cell.Status);
        Assert.Null(cell.SessionEnded);
        Assert.Contains("KeyboardInterrupt", cell.Stderr, StringComparison.Ordinal);
        // The handler that raised it is the kernel's: its frame is not shown as the program's.
        Assert.DoesNotContain("/.codify/", cell.Stderr, StringComparison.Ordinal);
        await sandbox.AssertGoesOnAsync(id, "print('next')", "next\n", Limits);
        await sandbox.EndAndAssertGoneAsync(marker, id);
    }

    /// <summary>
    /// Node compiles a cell before breakOnSigint's watchdog starts: a SIGINT meanwhile met the kernel's no-op listener and
    /// was lost. This cell compiles for longer than its CPU limit (about 0.9 s and 450 MiB measured alone), so the
    /// interrupt comes while it compiles; it must still stop the loop that follows.
    /// </summary>
    [Fact]
    public async Task A_node_cell_interrupted_while_it_compiles_is_stopped_and_the_session_goes_on()
    {
        var marker = HostChecks.NewMarker();
        var limits = Limits with { CpuTimeMs = 300, WallTimeMs = KernelUnderTest.Ms(60_000), MemoryBytes = 1L << 30 };
        var id = await sandbox.Sessions.StartAsync(marker, "javascript", limits);
        var code = "var a = 0;\n" + string.Concat(Enumerable.Repeat("a+=1;", 2_000_000)) + "\nfor (;;) {}";

        var cell = await sandbox.Sessions.RunCellAsync(id, code, limits);

        Assert.Equal(ExecutionStatus.TimeLimitExceeded, cell.Status);
        Assert.Equal("cpu", cell.LimitExceeded);
        Assert.Null(cell.SessionEnded);
        await sandbox.AssertGoesOnAsync(id, "console.log('next')", "next\n", limits);
        await sandbox.EndAndAssertGoneAsync(marker, id);
    }

    /// <summary>The interrupt reaches the kernel right behind the cell, before it runs: it must stop the cell all the same.</summary>
    [Theory]
    [InlineData("python", "import time\ntime.sleep(60)", "print('next')")]
    [InlineData("javascript", "for (;;) {}", "console.log('next')")]
    public async Task A_cell_cancelled_as_it_is_sent_is_interrupted_and_the_session_goes_on(string language, string code, string next)
    {
        var marker = HostChecks.NewMarker();
        var id = await sandbox.Sessions.StartAsync(marker, language, Limits);
        using var cancel = new CancellationTokenSource();

        var running = sandbox.Sessions.RunCellAsync(id, code, Limits, cancellationToken: cancel.Token);
        await cancel.CancelAsync();
        var cell = await running;

        Assert.Equal(ExecutionStatus.Cancelled, cell.Status);
        Assert.Null(cell.SessionEnded);
        await sandbox.AssertGoesOnAsync(id, next, "next\n", Limits);
        await sandbox.EndAndAssertGoneAsync(marker, id);
    }

    [Fact]
    public async Task A_cell_that_will_not_stop_ends_the_session_saying_so_and_leaves_nothing()
    {
        var marker = HostChecks.NewMarker();
        var limits = Limits with { WallTimeMs = 1000 };
        var id = await sandbox.Sessions.StartAsync(marker, SessionTestSteps.Python, limits);

        var cell = await sandbox.Sessions.RunCellAsync(id,
            "import time\nwhile True:\n    try:\n        time.sleep(60)\n    except KeyboardInterrupt:\n        pass", limits);

        Assert.Equal(ExecutionStatus.TimeLimitExceeded, cell.Status);
        Assert.Equal(Codify.Sandbox.Sessions.SessionEndReasonsOnHost.DidNotStop, cell.SessionEnded);
        Assert.Null(sandbox.Sessions.Find(id));
        await sandbox.EndAndAssertGoneAsync(marker, id);
    }

    [Fact]
    public async Task A_memory_bomb_ends_the_cell_and_the_session_only_once_the_interpreter_is_killed()
    {
        var marker = HostChecks.NewMarker();
        var limits = Limits with { MemoryBytes = 128L << 20 };
        var id = await sandbox.Sessions.StartAsync(marker, SessionTestSteps.Python, limits);
        await sandbox.AssertGoesOnAsync(id, "kept = 'still here'", "", limits);

        var refused = await sandbox.Sessions.RunCellAsync(id, "big = bytearray(1 << 40)", limits);
        Assert.Equal(ExecutionStatus.MemoryLimitExceeded, refused.Status);
        Assert.Null(refused.SessionEnded);
        await sandbox.AssertGoesOnAsync(id, "print(kept)", "still here\n", limits);

        var killed = await sandbox.Sessions.RunCellAsync(id, "filled = b'x' * (400 << 20)", limits);
        Assert.Equal(ExecutionStatus.MemoryLimitExceeded, killed.Status);
        Assert.NotNull(killed.SessionEnded);
        Assert.Null(sandbox.Sessions.Find(id));
        await sandbox.EndAndAssertGoneAsync(marker, id);
    }

    [Fact]
    public async Task A_fork_bomb_cell_is_stopped_by_the_clock_and_ending_the_session_leaves_no_process()
    {
        var marker = HostChecks.NewMarker();
        var limits = Limits with { WallTimeMs = 3000, CpuTimeMs = 1500 };
        var id = await sandbox.Sessions.StartAsync(marker, SessionTestSteps.Python, limits);

        var cell = await sandbox.Sessions.RunCellAsync(id, "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass", limits);

        Assert.Equal(ExecutionStatus.TimeLimitExceeded, cell.Status);
        await sandbox.EndAndAssertGoneAsync(marker, id);
        await sandbox.AssertNextRunCompletesAsync(SessionTestSteps.Python);
    }

    [Theory]
    [InlineData("python", "import os\nos._exit(3)")]
    [InlineData("javascript", "process.exit(3)")]
    public async Task A_cell_that_exits_the_interpreter_ends_the_session_saying_so_and_leaves_nothing(string language, string code)
    {
        var marker = HostChecks.NewMarker();
        var id = await sandbox.Sessions.StartAsync(marker, language, Limits);

        var cell = await sandbox.Sessions.RunCellAsync(id, code, Limits);

        Assert.Equal(ExecutionStatus.RuntimeError, cell.Status);
        Assert.Equal(SessionEndReasons.KernelExited, cell.SessionEnded);
        Assert.Null(sandbox.Sessions.Find(id));
        await sandbox.EndAndAssertGoneAsync(marker, id);
    }

    /// <summary>
    /// A process the cell forks is a copy of the kernel: it must end where the cell's code ends (with the code a plain run's
    /// forked process would have), never answer for the kernel with a result of its own.
    /// </summary>
    [Fact]
    public async Task A_process_the_cell_forks_ends_with_the_cells_code_and_never_answers_for_the_kernel()
    {
        const string code = """
            import os
            pid = os.fork()
            if pid == 0:
                print('child', flush=True)
                raise ValueError('in the child')
            print('parent saw', os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
            """;
        var marker = HostChecks.NewMarker();
        var id = await sandbox.Sessions.StartAsync(marker, SessionTestSteps.Python, Limits);

        var cell = await sandbox.Sessions.RunCellAsync(id, code, Limits);

        Assert.Equal(ExecutionStatus.Completed, cell.Status);
        Assert.Equal("child\nparent saw 1\n", cell.Stdout);
        Assert.Contains("ValueError: in the child", cell.Stderr, StringComparison.Ordinal);
        await sandbox.AssertGoesOnAsync(id, "print('next')", "next\n", Limits);
        await sandbox.EndAndAssertGoneAsync(marker, id);
    }
}
