using System.Diagnostics;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Sandbox.Cold;

/// <summary>Programs run through real bubblewrap, as the unprivileged uid, with real Debian python3 and node.</summary>
[SandboxTier]
public sealed class BubblewrapRunnerTests(SandboxRunnerFixture sandbox) : IClassFixture<SandboxRunnerFixture>
{
    [Fact]
    public async Task Python_hello_world_completes()
    {
        var result = await sandbox.RunAsync("python", "print(\"Hello, World!\")");

        Assert.Equal(ExecutionStatus.Completed, result.Status);
        Assert.Equal("Hello, World!\n", result.Stdout);
        Assert.Equal(0, result.ExitCode);
        Assert.InRange(result.WallTimeMs, 1, 10_000);
    }

    [Fact]
    public async Task Node_hello_world_completes()
    {
        var result = await sandbox.RunAsync("javascript", "console.log(\"Hello, World!\");");

        Assert.Equal(ExecutionStatus.Completed, result.Status);
        Assert.Equal("Hello, World!\n", result.Stdout);
        Assert.Equal(0, result.ExitCode);
    }

    [Theory]
    [InlineData("3\n", ExecutionStatus.Accepted)]
    [InlineData("4\n", ExecutionStatus.WrongAnswer)]
    public async Task Expected_output_judges_a_clean_exit(string expected, ExecutionStatus verdict)
    {
        var spec = new ExecutionSpec("python", "print(1 + 2)", null, SandboxRunnerFixture.Limits(), expected);

        var result = await sandbox.Runner.RunAsync("judge", spec, CancellationToken.None);

        Assert.Equal(verdict, result.Status);
    }

    [Fact]
    public async Task Expected_output_does_not_hide_a_runtime_error()
    {
        var spec = new ExecutionSpec("python", "print(3)\nraise SystemExit(2)", null, SandboxRunnerFixture.Limits(), "3");

        var result = await sandbox.Runner.RunAsync("judge", spec, CancellationToken.None);

        Assert.Equal(ExecutionStatus.RuntimeError, result.Status);
    }

    [Fact]
    public async Task Cpu_statistics_and_peak_memory_are_reported()
    {
        var result = await sandbox.RunAsync("python", "x = bytearray(50 * 1024 * 1024)\nsum(range(3_000_000))");

        Assert.Equal(ExecutionStatus.Completed, result.Status);
        Assert.InRange(result.MemoryPeakBytes!.Value, 50L << 20, 256L << 20);
        Assert.InRange(result.CpuTimeMs!.Value, 1, 10_000);
    }

    [Fact]
    public async Task A_program_past_its_memory_limit_is_oom_killed_as_memory_limit_exceeded_with_the_peak_at_most_the_limit()
    {
        var limits = SandboxRunnerFixture.Limits() with { MemoryBytes = 64L << 20 };

        // One allocation far past the limit: the kernel OOM-kills it at the limit (no swap), on v1 and on v2.
        var result = await sandbox.RunAsync("python", "b = bytearray(200 << 20)\nprint('allocated')", limits: limits);

        Assert.Equal(ExecutionStatus.MemoryLimitExceeded, result.Status);
        Assert.Equal("", result.Stdout);
        Assert.InRange(result.MemoryPeakBytes!.Value, 1, limits.MemoryBytes + (1L << 20));
    }

    [Fact]
    public async Task Stdin_reaches_the_program()
    {
        var result = await sandbox.RunAsync("python", "import sys\nprint(sum(int(x) for x in sys.stdin.read().split()))", stdin: "1 2 3\n");

        Assert.Equal("6\n", result.Stdout);
    }

    [Fact]
    public async Task Non_zero_exit_is_a_runtime_error_with_the_exit_code_and_stderr()
    {
        var result = await sandbox.RunAsync("python", "import sys\nprint('boom', file=sys.stderr)\nsys.exit(3)");

        Assert.Equal(ExecutionStatus.RuntimeError, result.Status);
        Assert.Equal(3, result.ExitCode);
        Assert.Null(result.Signal);
        Assert.Equal("boom\n", result.Stderr);
    }

    [Fact]
    public async Task Death_by_signal_is_a_runtime_error_naming_the_signal()
    {
        var result = await sandbox.RunAsync("javascript", "process.kill(process.pid, 'SIGSEGV')");

        Assert.Equal(ExecutionStatus.RuntimeError, result.Status);
        Assert.Equal("SIGSEGV", result.Signal);
    }

    [Fact]
    public async Task Program_past_its_wall_limit_is_killed_with_every_process_it_started()
    {
        var marker = $"codify-sleeper-{Guid.NewGuid():N}";
        // The marker is argv[0]: sleep would reject an extra argument and exit at once, leaving nothing to check.
        var code = $"import subprocess, time\nsubprocess.Popen(['{marker}', '300'], executable='sleep')\nprint('started', flush=True)\ntime.sleep(300)";

        var clock = Stopwatch.StartNew();
        var result = await sandbox.RunAsync("python", code, limits: SandboxRunnerFixture.Limits(wallMs: 1000));

        Assert.Equal(ExecutionStatus.TimeLimitExceeded, result.Status);
        Assert.Equal("wall", result.LimitExceeded);
        Assert.Equal("started\n", result.Stdout);
        Assert.True(clock.Elapsed < KernelUnderTest.Scaled(TimeSpan.FromSeconds(8)), $"took {clock.Elapsed}");
        Assert.DoesNotContain(Process.GetProcesses(), p => ReadCmdline(p.Id).Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Output_past_the_budget_is_cut_flagged_and_the_run_killed()
    {
        var result = await sandbox.RunAsync("python", "while True:\n    print('x' * 1000)", limits: SandboxRunnerFixture.Limits(outputBytes: 10_000));

        Assert.Equal(ExecutionStatus.OutputLimitExceeded, result.Status);
        Assert.True(result.StdoutTruncated);
        Assert.Equal(10_000, result.Stdout.Length);
    }

    [Fact]
    public async Task Program_runs_as_an_unprivileged_uid_with_an_empty_environment_and_no_network()
    {
        const string code = """
            import os, socket
            print(os.getuid(), os.getgid())
            print(sorted(n for _, n in socket.if_nameindex()))
            print(sorted(os.environ))
            print(open('/proc/1/environ').read() == '')
            """;
        Environment.SetEnvironmentVariable("CODIFY_TEST_SECRET", "must-not-leak");

        var result = await sandbox.RunAsync("python", code);

        var lines = result.Stdout.Split('\n');
        Assert.Equal("65534 65534", lines[0]);
        Assert.Equal("['lo']", lines[1]);
        Assert.DoesNotContain("CODIFY_TEST_SECRET", lines[2], StringComparison.Ordinal);
        Assert.Equal("True", lines[3]);
    }

    [Fact]
    public async Task Host_files_and_folders_are_not_visible_or_writable()
    {
        const string code = """
            import os
            for path in ['/etc/shadow', '/root', '/home', '/var', '/work']:
                print(path, os.path.exists(path))
            try:
                open('/usr/bin/codify-planted', 'w')
                print('usr writable')
            except OSError as e:
                print('usr', e.errno)
            """;

        var result = await sandbox.RunAsync("python", code);

        Assert.Equal(
            "/etc/shadow False\n/root False\n/home False\n/var False\n/work False\nusr 30\n",
            result.Stdout);
    }

    [Fact]
    public async Task The_run_folder_is_removed_after_the_run()
    {
        await sandbox.RunAsync("python", "print(1)");
        // Teardown follows the result on the cleanup thread.
        await sandbox.WhenCleanedUpAsync();

        Assert.Empty(Directory.GetDirectories(sandbox.Options.RunRoot));
    }

    [Fact]
    public async Task Cancelling_kills_the_run_and_reports_cancelled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var result = await sandbox.RunAsync("javascript", "setInterval(() => {}, 1000)", cancellationToken: cts.Token);

        Assert.Equal(ExecutionStatus.Cancelled, result.Status);
    }

    private static string ReadCmdline(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }
}
