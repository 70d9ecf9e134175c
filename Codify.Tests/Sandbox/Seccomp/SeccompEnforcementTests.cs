using Codify.Contracts;
using Xunit.Abstractions;

namespace Codify.Tests.Sandbox.Seccomp;

/// <summary>Real bubblewrap runs of Debian python3 and node under the generated filter.</summary>
[SandboxTier]
public sealed class SeccompEnforcementTests(SeccompSandbox sandbox, ITestOutputHelper output) : IClassFixture<SeccompSandbox>
{
    private const string SigsysExit = "159";

    [Fact]
    public async Task Python_with_numpy_pandas_matplotlib_threads_and_subprocesses_works_under_the_filter()
    {
        const string code = """
            import multiprocessing, subprocess, threading
            import numpy, pandas, matplotlib
            import matplotlib.pyplot as plt
            print('hello')
            print('blas', (numpy.ones((400, 400)) @ numpy.ones((400, 400)))[0, 0])
            print('pandas', pandas.DataFrame({'a': [1, 2, 3]}).a.sum())
            plt.plot([1, 2, 3]); plt.savefig('/tmp/plot.png'); print('plot ok')
            print('ls', subprocess.run(['ls', '/'], capture_output=True).returncode)
            seen = []
            t = threading.Thread(target=seen.append, args=(1,)); t.start(); t.join(); print('thread', seen)

            def square(x):
                return x * x

            if __name__ == '__main__':
                with multiprocessing.Pool(2) as pool:
                    print('pool', pool.map(square, [1, 2, 3]))
                queue = multiprocessing.Queue()
                p = multiprocessing.Process(target=queue.put, args=(7,)); p.start(); print('process', queue.get()); p.join()
            """;

        var run = await sandbox.RunAsync(Languages.Python, code);

        output.WriteLine(run.ToString());
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("hello\nblas 400.0\npandas 6\nplot ok\nls 0\nthread [1]\npool [1, 4, 9]\nprocess 7\n", run.Stdout);
    }

    [Fact]
    public async Task Node_with_a_worker_thread_and_a_child_process_works_under_the_filter()
    {
        const string code = """
            const { Worker } = require('worker_threads');
            const cp = require('child_process');
            console.log('hello');
            console.log('ls', cp.spawnSync('ls', ['/']).status);
            require('fs').readFile('/box/main.js', (err) => {
              console.log('read', err === null);
              new Worker('require("worker_threads").parentPort.postMessage(6 * 7)', { eval: true })
                .on('message', (m) => console.log('worker', m));
            });
            """;

        var run = await sandbox.RunAsync(Languages.JavaScript, code);

        output.WriteLine(run.ToString());
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("hello\nls 0\nread true\nworker 42\n", run.Stdout);
    }

    [Fact]
    public async Task Dangerous_syscalls_fail_with_EPERM_and_clone3_with_ENOSYS()
    {
        var run = await sandbox.RunAsync(Languages.Python, SyscallProbe.Python(stopping: true));

        output.WriteLine(run.ToString());
        Assert.Equal(0, run.ExitCode);
        var results = SyscallProbe.Parse(run.Stdout);
        Assert.Equal("38", results["clone3"]);
        // bwrap read the filter and closed it: the program cannot see fd 3 (ENOENT).
        Assert.Equal("2", results["fd3"]);
        var others = results.Where(r => r.Key is not "clone3" and not "fd3").ToList();
        Assert.Equal(23, others.Count); // every call of the probe ran and reported
        Assert.All(others, r => Assert.True(r.Value == "1", $"{r.Key}: {r.Value}"));
    }

    [Fact]
    public async Task Without_the_filter_the_same_calls_get_through_so_the_EPERM_comes_from_it()
    {
        var run = await sandbox.RunAsync(Languages.Python, SyscallProbe.Python(stopping: false), seccomp: false);

        output.WriteLine(run.ToString());
        var results = SyscallProbe.Parse(run.Stdout);
        // Namespaces and dropped capabilities alone let these through (or fail them otherwise) on this host.
        Assert.Equal("ok", results["ptrace_seize_pid1"]);
        Assert.Equal("ok", results["keyctl"]);
        Assert.Equal("ok", results["personality"]);
        Assert.NotEqual("1", results["unshare"]);
        Assert.NotEqual("1", results["clone_newuser"]);
        Assert.NotEqual("38", results["clone3"]);
    }

    [Theory]
    [InlineData("i386", "m = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)\n"
        + "m.write(b'\\xb8\\x14\\x00\\x00\\x00\\xcd\\x80\\xc3')  # mov eax, 20 (i386 getpid); int 0x80; ret\n"
        + "print('after', ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(m)))())")]
    [InlineData("x32", "print('after', ctypes.CDLL(None).syscall(0x40000000 + 39))  # x32 getpid")]
    public async Task A_syscall_through_another_abi_kills_the_program(string abi, string call)
    {
        var code = $"import ctypes, mmap\nprint('before', flush=True)\n{call}\n";

        var run = await sandbox.RunAsync(Languages.Python, code);

        output.WriteLine($"{abi}: {run}");
        Assert.Equal("before\n", run.Stdout);
        Assert.Equal(SigsysExit, run.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
