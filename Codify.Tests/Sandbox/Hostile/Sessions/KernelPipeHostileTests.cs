using System.Diagnostics;
using Codify.Contracts;
using Codify.Sandbox.Sessions;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Sandbox.Hostile.Sessions;

/// <summary>
/// The program shares its process with the session's kernel and reaches the kernel's own pipes: it holds nothing else of
/// the host, what it writes there breaks at most its own session (never the host, nor another session), and the host
/// never holds more than a bounded queue of what it sends.
/// </summary>
[SandboxTier]
[Collection(SessionHostileGroup.Name)]
public sealed class KernelPipeHostileTests(SessionSandboxRunnerFixture sandbox) : IClassFixture<SessionSandboxRunnerFixture>
{
    private static readonly ExecutionLimits Limits = SandboxRunnerFixture.Limits(wallMs: 10_000);

    /// <summary>Writes the payload to every descriptor from 3 up that takes it: the kernel's answer pipe is among them.</summary>
    private const string WriteToEveryFd = "import os\nfor fd in range(3, 64):\n    try:\n        os.write(fd, PAYLOAD)\n    except OSError:\n        pass\n";

    [Fact]
    public async Task A_cell_holds_no_descriptor_but_its_stdio_and_the_kernels_own_pipes()
    {
        var marker = HostChecks.NewMarker();
        var id = await sandbox.Sessions.StartAsync(marker, SessionTestSteps.Python, Limits);
        const string code = """
            import os
            fds = sorted(int(f) for f in os.listdir('/proc/self/fd'))
            for fd in fds:
                try:
                    print(fd, os.readlink(f'/proc/self/fd/{fd}').split('[')[0])
                except OSError:
                    pass
            """;

        var cell = await sandbox.Sessions.RunCellAsync(id, code, Limits);

        Assert.Equal(ExecutionStatus.Completed, cell.Status);
        var targets = cell.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', 2)).ToDictionary(p => p[0], p => p[1]);
        // stdin, then the program's stdout/stderr and the kernel's request, answer, two pump pipes and the spare write ends
        // of stdout/stderr (each cell starts with fds 1 and 2 on them): all pipes.
        Assert.Equal("/dev/null", targets["0"]);
        Assert.All(targets.Where(t => t.Key != "0"), t => Assert.True(t.Value == "pipe:", $"fd {t.Key} is {t.Value}"));
        Assert.Equal(8, targets.Count(t => t.Value == "pipe:"));
        await sandbox.EndAndAssertGoneAsync(marker, id);
    }

    [Theory]
    [InlineData("b'zzzzzzzz not a frame'", "malformed frame header")]
    [InlineData("b'ffffffff' + b'x' * 1000", "malformed frame header")]
    [InlineData("b'0000000a' + b'not json!!'", "not JSON")]
    [InlineData("b'00000002' + b'[]'", "without a type")]
    public async Task Garbage_on_the_kernels_pipe_ends_only_that_session_saying_why(string payload, string why)
    {
        var (victimMarker, bystanderMarker) = (HostChecks.NewMarker(), HostChecks.NewMarker());
        var bystander = await sandbox.Sessions.StartAsync(bystanderMarker, SessionTestSteps.Python, Limits);
        await sandbox.AssertGoesOnAsync(bystander, "kept = 7", "", Limits);
        var victim = await sandbox.Sessions.StartAsync(victimMarker, SessionTestSteps.Python, Limits);

        var broken = await sandbox.Sessions.RunCellAsync(victim, WriteToEveryFd.Replace("PAYLOAD", payload, StringComparison.Ordinal) + "import time\ntime.sleep(30)", Limits);

        Assert.NotEqual(ExecutionStatus.Completed, broken.Status);
        Assert.Contains(why, broken.SessionEnded, StringComparison.Ordinal);
        Assert.Null(sandbox.Sessions.Find(victim));
        await sandbox.EndAndAssertGoneAsync(victimMarker, victim);
        await sandbox.AssertGoesOnAsync(bystander, "print(kept + 1)", "8\n", Limits);
        await sandbox.EndAndAssertGoneAsync(bystanderMarker, bystander);
    }

    /// <summary>
    /// A frame header claiming the largest frame, then nothing: the host holds memory for what arrived, not for what the
    /// header claims (it allocated the claimed 64 MiB at once before, per session).
    /// </summary>
    [Fact]
    public async Task A_frame_header_alone_does_not_make_the_host_hold_the_length_it_claims()
    {
        var marker = HostChecks.NewMarker();
        var id = await sandbox.Sessions.StartAsync(marker, SessionTestSteps.Python, Limits);
        var channel = sandbox.Sessions.Find(id)!.Channel;
        var cell = sandbox.Sessions.RunCellAsync(id, WriteToEveryFd.Replace("PAYLOAD", "b'03ffffff{'", StringComparison.Ordinal) + "import time\ntime.sleep(30)", Limits);

        var held = await Eventually.ReturnsAsync(() => Task.FromResult(channel.PartialFrameBytes), bytes => bytes > 0,
            TimeSpan.FromSeconds(10), "the host to start reading the claimed frame");

        Assert.InRange(held, 1, 64 << 10);
        await sandbox.EndAndAssertGoneAsync(marker, id);
        await cell;
    }

    /// <summary>
    /// A thread left flooding after its cell ended sends frames no cell takes. Unbounded, the host's queue grew by more
    /// than 100 MiB a second; bounded, the host stops reading and the kernel's writes block.
    /// </summary>
    [Fact]
    public async Task Output_a_cell_leaves_flooding_is_held_by_the_host_only_up_to_its_queue_budget()
    {
        var marker = HostChecks.NewMarker();
        var id = await sandbox.Sessions.StartAsync(marker, SessionTestSteps.Python, Limits);
        const string code = "import threading\ndef flood():\n    line = 'x' * 60000\n    while True:\n        print(line)\nthreading.Thread(target=flood, daemon=True).start()";

        // The flood may start before the cell's end and spend its budget: its cell is then stopped, and the thread goes on.
        var cell = await sandbox.Sessions.RunCellAsync(id, code, Limits);
        Assert.True(cell is { Status: ExecutionStatus.Completed or ExecutionStatus.OutputLimitExceeded, SessionEnded: null }, cell.Message);
        var channel = sandbox.Sessions.Find(id)!.Channel;
        // Watched for a while no cell takes anything: unbounded, the queue passes the bound within a few hundred ms.
        var most = 0L;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(3) && most <= KernelChannel.QueueBudgetBytes + (1 << 20))
        {
            most = Math.Max(most, channel.QueuedBytes);
            await Task.Delay(10);
        }

        // The flood reached the host, and it holds at most its budget and one more frame.
        Assert.InRange(most, 60_000, KernelChannel.QueueBudgetBytes + (1 << 20));
        await sandbox.EndAndAssertGoneAsync(marker, id);
    }
}
