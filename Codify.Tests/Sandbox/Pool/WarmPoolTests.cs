using Codify.Contracts;
using Codify.Sandbox.Pool;
using Codify.Tests.Infrastructure;
using Codify.Tests.Sandbox.Cgroups;
using Codify.Tests.Sandbox.Hostile;

namespace Codify.Tests.Sandbox.Pool;

/// <summary>The warm pool itself: what an idle sandbox holds, what dispatch changes, which runs go cold, what a dead one does.</summary>
[SandboxTier]
public sealed class WarmPoolTests(PooledSandboxRunnerFixture sandbox) : IClassFixture<PooledSandboxRunnerFixture>
{
    [Fact]
    public async Task An_idle_warm_sandbox_holds_only_its_idle_budget_and_its_own_host_uid()
    {
        await sandbox.WaitForFullPoolAsync();
        var idle = sandbox.Pool!.ReadyNow("python").Concat(sandbox.Pool.ReadyNow("javascript")).ToList();

        Assert.Equal(2, idle.Count);
        Assert.Equal(2, idle.Select(w => w.Sandbox.HostUid).Distinct().Count());
        foreach (var warm in idle)
        {
            var memory = CgroupLimitFiles.MemoryLimit(warm.Sandbox.Cgroup.ProcsFiles);
            var pids = CgroupLimitFiles.PidsLimit(warm.Sandbox.Cgroup.ProcsFiles);
            Assert.Equal(sandbox.PoolSizes!.IdleMemoryBytes, long.Parse(await File.ReadAllTextAsync(memory)));
            Assert.Equal(sandbox.PoolSizes!.IdleProcesses.ToString(), (await File.ReadAllTextAsync(pids)).Trim());
            Assert.Contains("/pool-", memory, StringComparison.Ordinal);
            Assert.True(warm.IsAlive);
        }
    }

    [Fact]
    public async Task A_disposed_sandbox_closes_its_pipes_at_once_not_at_finalization()
    {
        var (warm, failure) = await WarmSandbox.StartAsync(sandbox.Sandbox.Starter, sandbox.Options, sandbox.PoolSizes, Languages.Python);
        Assert.True(warm is not null, failure);
        var streams = new[] { warm.Sandbox.Process.StandardInput.BaseStream, warm.Sandbox.Process.StandardOutput.BaseStream, warm.Sandbox.Process.StandardError.BaseStream };

        warm.Dispose();

        // Process.Dispose alone leaves streams the caller touched open: a service would pile up pipes until a GC.
        Assert.All(streams, s => Assert.Throws<ObjectDisposedException>(() => ((System.IO.Pipes.PipeStream)s).SafePipeHandle));
    }

    [Fact]
    public async Task A_sandbox_whose_stdin_pipe_broke_is_torn_down_without_throwing()
    {
        var (warm, failure) = await WarmSandbox.StartAsync(sandbox.Sandbox.Starter, sandbox.Options, sandbox.PoolSizes, Languages.Python);
        Assert.True(warm is not null, failure);
        warm.Sandbox.Cgroup.KillAll();
        await warm.Sandbox.Process.WaitForExitAsync();
        var input = warm.Sandbox.Process.StandardInput;
        // As a run's stdin feed does when its program exits early: the write meets no reader and the pipe breaks.
        Assert.ThrowsAny<IOException>(() =>
        {
            for (var i = 0; i < 64; i++)
            {
                input.Write(new string('x', 64 * 1024));
            }
        });
        var streams = new[] { input.BaseStream, warm.Sandbox.Process.StandardOutput.BaseStream, warm.Sandbox.Process.StandardError.BaseStream };

        // Teardown runs on the cleanup thread, where an exception would take the whole service down.
        warm.Dispose();

        Assert.All(streams, s => Assert.Throws<ObjectDisposedException>(() => ((System.IO.Pipes.PipeStream)s).SafePipeHandle));
    }

    [Fact]
    public async Task A_warm_run_gets_the_memory_limit_given_at_dispatch_not_the_idle_one()
    {
        var warmBefore = sandbox.WarmRuns;
        // 48 MiB: under the idle cap (96 MiB) the allocation of 80 MiB would pass if the run kept the idle limit.
        var limits = SandboxRunnerFixture.Limits() with { MemoryBytes = 48L << 20 };

        var result = await sandbox.RunAsync("python", "s = bytearray(80 << 20)\nprint(len(s))", limits: limits);

        Assert.Equal(ExecutionStatus.MemoryLimitExceeded, result.Status);
        Assert.Equal(warmBefore + 1, sandbox.WarmRuns);
    }

    [Fact]
    public async Task A_warm_run_carries_its_executions_name_on_the_host_while_it_runs()
    {
        var marker = HostChecks.NewMarker();
        var seen = new TaskCompletionSource<(int Processes, int Folders)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();
        var spec = new ExecutionSpec("python", "import time\nprint('up', flush=True)\ntime.sleep(30)", null, SandboxRunnerFixture.Limits(wallMs: 30_000));

        var run = sandbox.Runner.RunAsync(marker, spec, (_, _) =>
        {
            seen.TrySetResult((HostChecks.Processes(marker, sandbox.Options).Count,
                Directory.EnumerateDirectories(sandbox.Options.RunRoot, $"{marker}-*").Count()));
            cancel.Cancel();
        }, stdin: null, cancel.Token);
        var (processes, folders) = await seen.Task.WaitAsync(KernelUnderTest.Scaled(TimeSpan.FromSeconds(30)));
        var result = await run;

        // Its run folder was renamed after the execution at dispatch; its processes' mounts name it, and so lead to its cgroup.
        Assert.InRange(processes, 2, 10);
        Assert.Equal(1, folders);
        Assert.Equal(ExecutionStatus.Cancelled, result.Status);
        await sandbox.AssertHostUntouchedAsync(new HostileRun(marker, "python", result));
    }

    [Fact]
    public async Task Runs_the_pool_cannot_serve_start_cold_and_complete()
    {
        var (warmBefore, coldBefore) = (sandbox.WarmRuns, sandbox.ColdRuns);
        var multiFile = new ExecutionSpec("python", "import helper\nhelper.hi()", null, SandboxRunnerFixture.Limits(),
            Files: [new SourceFile("main.py", "import helper\nhelper.hi()"), new SourceFile("helper.py", "def hi():\n    print('hi')")]);
        // Node's heap cap is fixed at start for the pool's memory limit (256 MiB): 128 MiB needs another cap.
        var otherHeap = new ExecutionSpec("javascript", "console.log('js')", null, SandboxRunnerFixture.Limits() with { MemoryBytes = 128L << 20 });

        var python = await sandbox.Runner.RunAsync("multi", multiFile, CancellationToken.None);
        var node = await sandbox.Runner.RunAsync("heap", otherHeap, CancellationToken.None);

        Assert.Equal((ExecutionStatus.Completed, "hi\n"), (python.Status, python.Stdout));
        Assert.Equal((ExecutionStatus.Completed, "js\n"), (node.Status, node.Stdout));
        Assert.Equal((warmBefore, coldBefore + 2), (sandbox.WarmRuns, sandbox.ColdRuns));
    }

    [Fact]
    public async Task A_warm_sandbox_that_died_while_idle_is_never_handed_a_program()
    {
        await sandbox.WaitForFullPoolAsync();
        var victim = Assert.Single(sandbox.Pool!.ReadyNow("javascript"));
        victim.Sandbox.Cgroup.KillAll();
        await Eventually.ReturnsAsync(() => Task.FromResult(victim.IsAlive), alive => !alive, KernelUnderTest.Scaled(TimeSpan.FromSeconds(10)), "the idle sandbox dying");

        var result = await sandbox.RunAsync("javascript", "console.log('still fine')");

        Assert.Equal((ExecutionStatus.Completed, "still fine\n"), (result.Status, result.Stdout));
        Assert.DoesNotContain(victim, sandbox.Pool.ReadyNow("javascript"));
        // The pool replaces it.
        await sandbox.WaitForFullPoolAsync();
    }
}

/// <summary>A pool of size 0 for both languages: nothing is ever started ahead, every run is cold.</summary>
[SandboxTier]
public sealed class NoPoolTests(NoPoolTests.Fixture sandbox) : IClassFixture<NoPoolTests.Fixture>
{
    public sealed class Fixture : SandboxRunnerFixture
    {
        public override PoolOptions PoolSizes { get; } = new() { Python = 0, Node = 0 };
    }

    [Fact]
    public async Task With_both_sizes_0_every_run_is_cold_and_no_sandbox_waits()
    {
        var python = await sandbox.RunAsync("python", "print('cold')");
        var node = await sandbox.RunAsync("javascript", "console.log('cold')");

        Assert.Equal((ExecutionStatus.Completed, ExecutionStatus.Completed), (python.Status, node.Status));
        Assert.Equal((0, 2), (sandbox.WarmRuns, sandbox.ColdRuns));
        Assert.False(sandbox.Pool!.Serves("python"));
        Assert.Empty(sandbox.Pool.ReadyNow("python"));
    }
}
