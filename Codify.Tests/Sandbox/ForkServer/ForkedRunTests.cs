using System.Text.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Sandbox.ForkServer;

/// <summary>What is new to forking: runs really are forks, each with its own uid and random state, nothing of the server.</summary>
[SandboxTier]
public sealed class ForkedRunTests(ForkedSandboxRunnerFixture sandbox) : IClassFixture<ForkedSandboxRunnerFixture>
{
    [Fact]
    public async Task A_python_hello_is_served_by_a_fork()
    {
        var before = sandbox.ForkRuns;

        var result = await sandbox.RunAsync("python", "print('Hello, World!')");

        Assert.Equal(ExecutionStatus.Completed, result.Status);
        Assert.Equal("Hello, World!\n", result.Stdout);
        Assert.Equal(before + 1, sandbox.ForkRuns);
    }

    [Fact]
    public async Task Two_concurrent_forked_runs_have_different_host_uids_and_random_state()
    {
        // uid_map's second field is the run's uid in the server's namespace: host uid = Sandbox:ForkServer:HostUidBase + it.
        const string code = """
            import json, random, time, numpy
            uid = open('/proc/self/uid_map').read().split()
            print(json.dumps([uid[0], uid[1], random.random(), float(numpy.random.rand())]))
            time.sleep(1)
            """;
        var before = sandbox.ForkRuns;

        var runs = await Task.WhenAll(sandbox.RunAsync("python", code), sandbox.RunAsync("python", code));

        Assert.Equal(before + 2, sandbox.ForkRuns);
        var seen = runs.Select(r => JsonSerializer.Deserialize<JsonElement[]>(r.Stdout)!).ToList();
        Assert.All(seen, s => Assert.Equal("65534", s[0].GetString()));
        Assert.NotEqual(seen[0][1].GetString(), seen[1][1].GetString());
        Assert.NotEqual(seen[0][2].GetDouble(), seen[1][2].GetDouble());
        Assert.NotEqual(seen[0][3].GetDouble(), seen[1][3].GetDouble());
    }

    [Fact]
    public async Task A_forked_run_reaches_neither_the_control_socket_nor_the_server()
    {
        const string code = """
            import ctypes, os, socket
            libc = ctypes.CDLL(None, use_errno=True)
            print(os.listdir('/.codify'), os.path.exists('/.codify/control/s'), sorted(os.listdir('/proc/self/fd')))
            print(sorted(p for p in os.listdir('/proc') if p.isdigit()))
            print(libc.ptrace(16, 1, 0, 0), ctypes.get_errno())
            s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            try:
                s.connect('/.codify/control/s')
            except OSError as e:
                print(type(e).__name__)
            """;

        var result = await sandbox.RunAsync("python", code);

        // Only stdin/stdout/stderr (and the listing's own fd); pids 1 and 2 of its own namespace; ptrace EPERM (seccomp).
        Assert.Equal("[] False ['0', '1', '2', '3']\n['1', '2']\n-1 1\nFileNotFoundError\n", result.Stdout);
    }

    [Fact]
    public async Task A_forked_program_may_start_exactly_as_many_processes_as_a_cold_one()
    {
        // A fork's pid 1 is its only process besides the program (a cold run has bwrap's two): the pids limit accounts for it.
        const string code = """
            import os, signal
            n = 0
            try:
                while True:
                    if os.fork() == 0:
                        signal.pause()
                        os._exit(0)
                    n += 1
            except OSError:
                print(n)
            """;
        var limits = SandboxRunnerFixture.Limits() with { Processes = 16 };
        var before = sandbox.ForkRuns;

        var forked = await sandbox.RunAsync("python", code, limits: limits);
        var cold = await sandbox.Sandbox.Runner.RunAsync("cold", new ExecutionSpec("python", code, null, limits), CancellationToken.None);

        Assert.Equal(before + 1, sandbox.ForkRuns);
        Assert.Equal((ExecutionStatus.Completed, ExecutionStatus.Completed), (forked.Status, cold.Status));
        Assert.Equal(cold.Stdout, forked.Stdout);
    }

    [Fact]
    public async Task Sys_modules_of_a_forked_run_are_a_cold_run_s_after_importing_the_preloads()
    {
        // Naming a preloaded module (here in a comment) sends the program to the preloaded server.
        const string list = "import sys\nprint(sorted(sys.modules))  # numpy";
        var preloads = sandbox.ForkServer!.Preload.Split(',');

        var forked = await sandbox.RunAsync("python", list);
        var cold = await sandbox.Sandbox.Runner.RunAsync("cold", new ExecutionSpec("python",
            string.Join('\n', preloads.Select(p => $"import {p}")) + "\n" + list, null, SandboxRunnerFixture.Limits(wallMs: 60_000)),
            CancellationToken.None);

        Assert.Equal(ExecutionStatus.Completed, cold.Status);
        Assert.Equal(cold.Stdout, forked.Stdout);
    }

    [Fact]
    public async Task Sys_modules_of_a_run_from_the_lean_server_are_a_cold_run_s()
    {
        const string list = "import sys\nprint(sorted(sys.modules))";

        var forked = await sandbox.RunAsync("python", list);
        var cold = await sandbox.Sandbox.Runner.RunAsync("cold", new ExecutionSpec("python", list, null, SandboxRunnerFixture.Limits()), CancellationToken.None);

        Assert.Equal(ExecutionStatus.Completed, cold.Status);
        Assert.Equal(cold.Stdout, forked.Stdout);
    }

    [Theory]
    [InlineData("print('hello')", false)]
    [InlineData("import numpy\nprint(numpy.zeros(2).sum())", true)]
    [InlineData("from pandas import DataFrame\nprint(DataFrame)", true)]
    [InlineData("import matplotlib.pyplot as plt\nprint(plt)", true)]
    [InlineData("numpyish = 1\nprint(numpyish)", false)]
    public async Task A_program_forks_from_the_preloaded_server_only_when_it_names_a_preloaded_module(string code, bool preloaded)
    {
        var (data, lean) = (sandbox.Servers!, sandbox.LeanServers!);
        await Eventually.ReturnsAsync(() => Task.FromResult((data.Current, lean.Current)), s => s.Item1 is not null && s.Item2 is not null,
            TimeSpan.FromSeconds(60), "both fork servers running");
        var before = (Data: data.Current!.Dispatched, Lean: lean.Current!.Dispatched);

        var result = await sandbox.RunAsync("python", code);

        Assert.Equal(ExecutionStatus.Completed, result.Status);
        Assert.Equal(preloaded ? (before.Data + 1, before.Lean) : (before.Data, before.Lean + 1), (data.Current!.Dispatched, lean.Current!.Dispatched));
    }

    [Fact]
    public async Task A_crashed_fork_server_is_replaced_and_runs_go_on()
    {
        var servers = sandbox.Servers!;
        var startedBefore = servers.ServersStarted;

        servers.Current!.Crash();
        var during = await sandbox.RunAsync("python", "print('still served')");

        Assert.Equal(ExecutionStatus.Completed, during.Status);
        Assert.Equal("still served\n", during.Stdout);
        await Eventually.ReturnsAsync(() => Task.FromResult((servers.ServersStarted, servers.ReadyChildren)),
            s => s.ServersStarted > startedBefore && s.ReadyChildren > 0, TimeSpan.FromSeconds(60), "a replacement fork server");
        var forkedBefore = sandbox.ForkRuns;
        var after = await sandbox.RunAsync("python", "print('forked again')");
        Assert.Equal("forked again\n", after.Stdout);
        Assert.Equal(forkedBefore + 1, sandbox.ForkRuns);
    }
}
