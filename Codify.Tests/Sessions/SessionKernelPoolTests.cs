using Codify.Contracts;
using Codify.Sandbox.Sessions;
using Codify.Sandbox.Sessions.Pool;
using Codify.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Codify.Tests.Sessions;

/// <summary>
/// Sessions from the kernel pool: a pooled kernel (numpy, pandas, matplotlib preloaded, nothing of a program run) becomes
/// one session's for good, with that session's limits; the pool refills, replaces a kernel that dies idle, and leaves
/// nothing behind when the replica stops.
/// </summary>
[ApiTier]
[Collection(SessionGroup.Name)]
public sealed class SessionKernelPoolTests(SessionsFixture stack)
{
    private const string Preloaded = "import sys\n'numpy' in sys.modules and 'matplotlib.pyplot' in sys.modules";

    private KernelPool Pool => stack.Sandbox.Services.GetRequiredService<KernelPool>();

    private SessionHost Host => stack.Sandbox.Services.GetRequiredService<SessionHost>();

    [Fact]
    public async Task A_session_from_the_pool_is_its_own_keeps_state_across_cells_and_the_pool_refills()
    {
        await WaitForReadyAsync(SessionsFixture.PooledPython);
        var idle = Pool.ReadyNow("python");

        var a = await stack.CreateAsync();
        var b = await stack.CreateAsync();
        var (kernelA, kernelB) = (Host.Find(a.Id)!.Kernel, Host.Find(b.Id)!.Kernel);

        // Both came from the pool (they were ready and preloaded), each its own kernel, out of the pool for good.
        Assert.Contains(kernelA, idle);
        Assert.Contains(kernelB, idle);
        Assert.NotSame(kernelA, kernelB);
        Assert.DoesNotContain(kernelA, Pool.ReadyNow("python"));
        Assert.Equal("True", Output(await stack.RunAsync(a.Id, Preloaded)));
        // The preload left nothing in the program's namespace, its work dir or its /tmp.
        Assert.Equal("([], [], [])", Output(await stack.RunAsync(b.Id,
            "([k for k in globals() if not k.startswith('__')], __import__('os').listdir('/box'), __import__('os').listdir('/tmp'))")));

        await stack.RunAsync(a.Id, "import numpy as np\nx = np.arange(4)\ndef twice(v):\n    return 2 * v");
        Assert.Equal("12", Output(await stack.RunAsync(a.Id, "int(twice(x).sum())")));
        Assert.Equal("False", Output(await stack.RunAsync(b.Id, "'x' in globals()")));

        await WaitForReadyAsync(SessionsFixture.PooledPython);
        Assert.DoesNotContain(kernelA, Pool.ReadyNow("python"));
        await stack.CloseAsync(a.Id);
        await stack.CloseAsync(b.Id);

        // An ended session's kernel is gone, never back in the pool.
        Assert.False(kernelA.IsAlive);
        Assert.DoesNotContain(kernelA, Pool.ReadyNow("python"));
        await Eventually.ReturnsAsync(() => Task.FromResult(SessionLeftovers.All(stack.Sandbox.Services, a.Id)),
            left => left.Count == 0, TimeSpan.FromSeconds(10), "the pooled session's processes, cgroup and folder to be removed");
    }

    [Fact]
    public async Task A_pooled_kernel_gets_the_sessions_memory_limit_at_handover()
    {
        await WaitForReadyAsync(1);
        var session = await stack.CreateAsync(limits: new { memory = 192L << 20 });
        Assert.Equal("True", Output(await stack.RunAsync(session.Id, Preloaded)));

        // Under the idle kernel's cap (384 MiB) but over the session's own: only the session's limit can stop it.
        var killed = await stack.RunAsync(session.Id, "filled = b'x' * (250 << 20)");

        Assert.Equal(ExecutionStatus.MemoryLimitExceeded, killed.Status);
        Assert.NotNull(killed.SessionEnded);
        await Eventually.ReturnsAsync(() => Task.FromResult(SessionLeftovers.All(stack.Sandbox.Services, session.Id)),
            left => left.Count == 0, TimeSpan.FromSeconds(10), "the killed session's processes, cgroup and folder to be removed");
    }

    [Fact]
    public async Task A_pooled_kernel_killed_while_idle_is_dropped_and_replaced()
    {
        await WaitForReadyAsync(SessionsFixture.PooledPython);
        var victim = Pool.ReadyNow("python")[0];
        var folder = victim.Sandbox.Folder.Path;

        victim.Sandbox.Cgroup.KillAll();

        await Eventually.ReturnsAsync(() => Task.FromResult(Pool.ReadyNow("python")),
            ready => !ready.Contains(victim) && ready.Count == SessionsFixture.PooledPython, TimeSpan.FromSeconds(90), "the dead kernel to be replaced");
        await Eventually.ReturnsAsync(() => Task.FromResult(Directory.Exists(folder)), exists => !exists, TimeSpan.FromSeconds(10), "the dead kernel's folder to be removed");
        var session = await stack.CreateAsync();
        Assert.NotSame(victim, Host.Find(session.Id)!.Kernel);
        Assert.Equal("2", Output(await stack.RunAsync(session.Id, "1 + 1")));
        await stack.CloseAsync(session.Id);
    }

    [Fact]
    public async Task A_stopping_replica_leaves_no_pooled_kernel_process_cgroup_or_folder()
    {
        await using var redis = await RedisServer.StartAsync();
        var replica = new SandboxFactory(redis.ConnectionString, new Dictionary<string, string?>
        {
            ["Sessions:Pool:Python"] = "1",
            ["Sessions:Pool:Node"] = "1",
        });
        IReadOnlyList<SessionKernel> kernels;
        try
        {
            _ = replica.Server;
            var pool = replica.Services.GetRequiredService<KernelPool>();
            await Eventually.ReturnsAsync(() => Task.FromResult(pool.ReadyCount("python") + pool.ReadyCount("javascript")),
                ready => ready == 2, TimeSpan.FromSeconds(90), "a python and a node kernel in the pool");
            kernels = [.. pool.ReadyNow("python"), .. pool.ReadyNow("javascript")];
        }
        finally
        {
            await replica.DisposeAsync();
        }

        foreach (var kernel in kernels)
        {
            Assert.False(kernel.IsAlive);
            Assert.False(Directory.Exists(kernel.Sandbox.Folder.Path));
            Assert.All(CgroupDirs(kernel), dir => Assert.False(Directory.Exists(dir), dir));
        }
    }

    private static IReadOnlyList<string> CgroupDirs(SessionKernel kernel) =>
        kernel.Sandbox.Cgroup is Codify.Sandbox.Cgroups.CgroupRun run ? run.Dirs : [.. kernel.Sandbox.Cgroup.ProcsFiles.Select(Path.GetDirectoryName).OfType<string>()];

    private async Task WaitForReadyAsync(int count) =>
        await Eventually.ReturnsAsync(() => Task.FromResult(Pool.ReadyCount("python")), ready => ready >= count, TimeSpan.FromSeconds(90), $"{count} python kernels ready in the pool");

    private static string? Output(ExecutionRecord cell) => Assert.Single(cell.Outputs!).Data;
}
