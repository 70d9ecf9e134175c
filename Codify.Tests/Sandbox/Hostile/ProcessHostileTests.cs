using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Sandbox.Hostile;

/// <summary>
/// Fork, spawn and thread bombs stop at the run's pids limit (which counts threads too) and daemons do not outlive the run.
/// The pids limit also counts bwrap's two processes, so the program gets fewer than <see cref="Processes"/> tasks.
/// </summary>
[SandboxTier]
public class ProcessHostileTests(SandboxRunnerFixture sandbox) : IClassFixture<SandboxRunnerFixture>
{
    private const int Processes = 32;

    private static readonly ExecutionLimits Limits = SandboxRunnerFixture.Limits(wallMs: 5000) with { Processes = Processes };

    [Fact]
    public async Task A_fork_loop_gets_EAGAIN_below_the_pids_limit()
    {
        const string code = """
            import errno, os, signal
            n = 0
            try:
                while True:
                    if os.fork() == 0:
                        signal.pause()
                        os._exit(0)
                    n += 1
            except OSError as e:
                print('forks', n, errno.errorcode[e.errno])
            """;

        var run = await sandbox.RunHostileAsync("python", code, Limits);

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        var (count, error) = CountAndError(run.Result.Stdout, "forks");
        Assert.InRange(count, 1, Processes - 1);
        Assert.Equal("EAGAIN", error);
        await sandbox.AssertHostUntouchedAsync(run);
    }

    /// <summary>
    /// The classic bomb: every process forks forever. Each process whose fork fails dies of the uncaught BlockingIOError;
    /// once the main program's own fork fails it exits with 1, which ends the whole sandbox: a runtime error, quickly.
    /// </summary>
    [Fact]
    public async Task A_classic_fork_bomb_dies_of_EAGAIN_as_a_runtime_error()
    {
        var run = await sandbox.RunHostileAsync("python", "import os\nwhile True:\n    os.fork()", Limits);

        Assert.Equal(ExecutionStatus.RuntimeError, run.Result.Status);
        Assert.Equal(1, run.Result.ExitCode);
        Assert.Contains("BlockingIOError", run.Result.Stderr, StringComparison.Ordinal);
        await sandbox.AssertHostUntouchedAsync(run);
    }

    /// <summary>
    /// A bomb that never gives up: every process keeps forking and ignores EAGAIN, so the pids limit stays full and
    /// nothing exits on its own. The clock ends it, and the cgroup kill must win against processes that fork back.
    /// </summary>
    [Fact]
    public async Task A_fork_bomb_that_ignores_EAGAIN_is_stopped_by_the_clock_and_killed_whole()
    {
        const string code = """
            import os
            while True:
                try:
                    os.fork()
                except OSError:
                    pass
            """;
        var limits = Limits with { WallTimeMs = 3000, CpuTimeMs = 1500 };

        var run = await sandbox.RunHostileAsync("python", code, limits);

        // CPU time or wall clock, whichever the load on the machine makes come first: both are this program's fault.
        Assert.Equal(ExecutionStatus.TimeLimitExceeded, run.Result.Status);
        Assert.True(run.Result.LimitExceeded is "cpu" or "wall", run.Result.LimitExceeded);
        await sandbox.AssertHostUntouchedAsync(run);
    }

    [Fact]
    public virtual async Task A_spawn_loop_gets_EAGAIN_below_the_pids_limit()
    {
        const string code = """
            const { spawn } = require('child_process');
            const N = 200;
            let ok = 0, failed = 0, settled = 0;
            const codes = new Set();
            const settle = () => { if (++settled === N) { console.log('spawned', ok, [...codes].sort().join(',')); process.exit(0); } };
            for (let i = 0; i < N; i++) {
              let child;
              try {
                child = spawn('sleep', ['300'], { argv0: '@MARKER@-sleep' });
              } catch (e) {
                failed++; codes.add(e.code); settle(); continue;
              }
              child.on('spawn', () => { ok++; settle(); });
              child.on('error', e => { failed++; codes.add(e.code); settle(); });
            }
            """;

        var run = await sandbox.RunHostileAsync("javascript", code, Limits);

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        var (count, errors) = CountAndError(run.Result.Stdout, "spawned");
        Assert.InRange(count, 1, Processes - 1);
        // EMFILE may join in: each spawn also holds pipes, and the program has 256 descriptors.
        Assert.Contains("EAGAIN", errors.Split(','));
        await sandbox.AssertHostUntouchedAsync(run);
    }

    [Fact]
    public virtual async Task A_python_thread_bomb_cannot_start_threads_past_the_pids_limit()
    {
        const string code = """
            import os, threading, time
            n = 0
            try:
                while True:
                    threading.Thread(target=time.sleep, args=(300,), daemon=True).start()
                    n += 1
            except RuntimeError as e:
                print('threads', n, str(e).replace(' ', '_'), flush=True)
            os._exit(0)
            """;

        var run = await sandbox.RunHostileAsync("python", code, Limits);

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        var (count, error) = CountAndError(run.Result.Stdout, "threads");
        Assert.InRange(count, 1, Processes - 1);
        Assert.Equal("can't_start_new_thread", error);
        await sandbox.AssertHostUntouchedAsync(run);
    }

    [Fact]
    public virtual async Task A_node_worker_bomb_cannot_start_workers_past_the_pids_limit()
    {
        const string code = """
            const { Worker } = require('worker_threads');
            let ok = 0, done = false;
            const finish = code => { if (!done) { done = true; console.log('workers', ok, code); process.exit(0); } };
            const next = () => {
              let w;
              try {
                w = new Worker('setInterval(() => {}, 1000)', { eval: true });
              } catch (e) {
                return finish(e.code);
              }
              w.on('online', () => { ok++; next(); });
              w.on('error', e => finish(e.code));
            };
            next();
            """;

        // Each worker is a whole node environment (about 1 s for all of them alone, several on a loaded 2-core host): the
        // program ends itself at the pids limit, so the clock only bounds a sandbox that let it go on.
        var limits = Limits with { WallTimeMs = KernelUnderTest.Ms(30_000), CpuTimeMs = KernelUnderTest.Ms(30_000) };
        var run = await sandbox.RunHostileAsync("javascript", code, limits);

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        var (count, error) = CountAndError(run.Result.Stdout, "workers");
        Assert.InRange(count, 1, Processes - 1);
        Assert.Equal("ERR_WORKER_INIT_FAILED", error);
        await sandbox.AssertHostUntouchedAsync(run);
    }

    [Fact]
    public async Task A_double_forked_setsid_daemon_does_not_outlive_the_run()
    {
        const string code = """
            import os, time
            pid = os.fork()
            if pid == 0:
                os.setsid()
                if os.fork() == 0:
                    os.execvp('sleep', ['@MARKER@-daemon', '300'])
                os._exit(0)
            os.waitpid(pid, 0)

            def daemon_running():
                for p in filter(str.isdigit, os.listdir('/proc')):
                    try:
                        if b'@MARKER@-daemon' in open(f'/proc/{p}/cmdline', 'rb').read():
                            return True
                    except OSError:
                        pass
                return False

            deadline = time.time() + 3
            while not daemon_running() and time.time() < deadline:
                time.sleep(0.01)
            print('daemon running', daemon_running())
            """;

        var run = await sandbox.RunHostileAsync("python", code, Limits);

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        Assert.Equal("daemon running True\n", run.Result.Stdout);
        await sandbox.AssertHostUntouchedAsync(run);
    }

    [Fact]
    public virtual async Task A_detached_unrefed_node_child_does_not_outlive_the_run()
    {
        const string code = """
            const { spawn } = require('child_process');
            const child = spawn('sleep', ['300'], { argv0: '@MARKER@-daemon', detached: true, stdio: 'ignore' });
            child.on('spawn', () => { child.unref(); console.log('daemon running', child.pid > 0); });
            """;

        var run = await sandbox.RunHostileAsync("javascript", code, Limits);

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        Assert.Equal("daemon running true\n", run.Result.Stdout);
        await sandbox.AssertHostUntouchedAsync(run);
    }

    /// <summary>Parses "label count detail" printed by a bomb.</summary>
    private static (int Count, string Detail) CountAndError(string stdout, string label)
    {
        var parts = stdout.Trim().Split(' ');
        Assert.True(parts.Length == 3 && parts[0] == label, $"unexpected output: {stdout}");
        return (int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[2]);
    }
}
