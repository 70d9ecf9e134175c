using Codify.Contracts;

namespace Codify.Tests.Sandbox.Hostile.Sessions;

/// <summary>
/// A cell that breaks its stdio (closes fds 0-2, replaces sys.stdout and sys.stderr) breaks only what is its own: the
/// kernel goes on, every python cell starts with fds 0-2 on its own stdin and the session's output pipes, and a cell's
/// error still reaches its stderr. Before, each of these ended the session ("the session's interpreter exited").
/// </summary>
[SandboxTier]
[Collection(SessionHostileGroup.Name)]
public sealed class KernelStdioHostileTests(SessionSandboxRunnerFixture sandbox) : IClassFixture<SessionSandboxRunnerFixture>
{
    private static readonly ExecutionLimits Limits = SandboxRunnerFixture.Limits(wallMs: 8000, outputBytes: 10_000);

    [Fact]
    public async Task Closing_fds_0_to_2_in_a_cell_leaves_the_next_cell_its_own_stdin_stdout_and_stderr()
    {
        var marker = HostChecks.NewMarker();
        var id = await sandbox.Sessions.StartAsync(marker, SessionTestSteps.Python, Limits);

        await sandbox.AssertGoesOnAsync(id, "import os, sys\nfor fd in (0, 1, 2):\n    os.close(fd)", "", Limits);
        var next = await sandbox.Sessions.RunCellAsync(id, "print(input())\nprint('err', file=sys.stderr)", Limits, stdin: "typed\n");

        Assert.Equal(ExecutionStatus.Completed, next.Status);
        Assert.Equal("typed\n", next.Stdout);
        Assert.Equal("err\n", next.Stderr);
        await sandbox.EndAndAssertGoneAsync(marker, id);
    }

    [Fact]
    public async Task Replacing_sys_stdout_and_sys_stderr_with_junk_does_not_end_the_session_and_errors_still_show()
    {
        var marker = HostChecks.NewMarker();
        var id = await sandbox.Sessions.StartAsync(marker, SessionTestSteps.Python, Limits);

        await sandbox.AssertGoesOnAsync(id, "import sys\nsys.stdout = None\nsys.stderr = 5", "", Limits);
        var failing = await sandbox.Sessions.RunCellAsync(id, "print('nowhere')\n1 / 0", Limits);

        Assert.Equal(ExecutionStatus.RuntimeError, failing.Status);
        Assert.Null(failing.SessionEnded);
        Assert.Equal("", failing.Stdout);
        Assert.Contains("ZeroDivisionError", failing.Stderr, StringComparison.Ordinal);
        // The program's own choice persists, as any state does, until it undoes it.
        await sandbox.AssertGoesOnAsync(id, "sys.stdout = sys.__stdout__\nprint('back')", "back\n", Limits);
        await sandbox.EndAndAssertGoneAsync(marker, id);
    }

    /// <summary>
    /// Node has no dup2: the kernel takes a closed fd 1 back by reopening its FIFO, so the cell ends and the next one's
    /// output flows. Before, the end-of-cell drain threw, the kernel stopped answering and the session was killed as a cell
    /// past its time limit (and once that was caught, a libuv handle that got fd 1 aborted node).
    /// </summary>
    [Fact]
    public async Task A_node_cell_that_closes_fd_1_ends_and_the_next_cell_s_output_flows()
    {
        var marker = HostChecks.NewMarker();
        var id = await sandbox.Sessions.StartAsync(marker, "javascript", Limits);

        await sandbox.AssertGoesOnAsync(id, "require('fs').closeSync(1)", "", Limits);
        var next = await sandbox.Sessions.RunCellAsync(id, "console.log('out')\nconsole.error('err')", Limits);

        Assert.True(next.Status == ExecutionStatus.Completed, $"{next.Status.ToWire()} '{next.Stderr}' {next.Message} {next.SessionEnded}");
        Assert.Equal("out\n", next.Stdout);
        Assert.Equal("err\n", next.Stderr);
        await sandbox.EndAndAssertGoneAsync(marker, id);
    }

    /// <summary>A node cell that puts a file of its own on fd 1 keeps it (no dup2 to undo it), and its cells still end.</summary>
    [Fact]
    public async Task A_node_cell_that_puts_a_file_on_fd_1_still_ends_and_so_do_the_next_ones()
    {
        var marker = HostChecks.NewMarker();
        var id = await sandbox.Sessions.StartAsync(marker, "javascript", Limits);

        await sandbox.AssertGoesOnAsync(id, "const fs = require('fs')\nfs.closeSync(1)\nfs.openSync('/tmp/mine', 'w')", "", Limits);
        var next = await sandbox.Sessions.RunCellAsync(id, "console.error(require('fs').readFileSync('/tmp/mine', 'utf8').length)", Limits);

        Assert.True(next.Status == ExecutionStatus.Completed, $"{next.Status.ToWire()} '{next.Stderr}' {next.Message} {next.SessionEnded}");
        Assert.Equal("0\n", next.Stderr);
        await sandbox.EndAndAssertGoneAsync(marker, id);
    }
}
