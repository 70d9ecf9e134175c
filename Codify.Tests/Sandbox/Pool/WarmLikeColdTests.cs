using Codify.Contracts;

namespace Codify.Tests.Sandbox.Pool;

/// <summary>
/// A program cannot tell a warm (pooled) run from a cold one: the same program, arguments and stdin give the same
/// stdout, stderr (tracebacks without launcher frames), exit code and rlimits. Each pair runs once cold, once warm.
/// </summary>
[SandboxTier]
public sealed class WarmLikeColdTests(SandboxRunnerFixture cold, PooledSandboxRunnerFixture warm)
    : IClassFixture<SandboxRunnerFixture>, IClassFixture<PooledSandboxRunnerFixture>
{
    private static readonly string[] Args = ["plain", "with space", "", "ünïcödé", "--flag=1"];

    public static TheoryData<string, string> Programs => new()
    {
        {
            "python", """
            import os, sys
            g = globals()
            print(sorted(g), __name__, __file__, type(__loader__).__name__, __loader__.name, __loader__.path)
            print(__spec__, __cached__, __package__, __doc__, __annotations__, __builtins__ is sys.modules['builtins'])
            print(sys.argv, sys.orig_argv, sys.path[0], os.getcwd(), sys.flags.ignore_environment, sys.flags.no_user_site)
            print(repr(sys.stdin.read()))
            """
        },
        {
            "python", """
            import os, resource
            print(os.nice(0), resource.getrlimit(resource.RLIMIT_FSIZE), resource.getrlimit(resource.RLIMIT_CPU), resource.getrlimit(resource.RLIMIT_NOFILE))
            print(open('/proc/self/status').read().count('\n') > 0, open('main.py').read()[:14])
            """
        },
        {
            "python", """
            def inner():
                raise ValueError('boom')
            def outer():
                inner()
            outer()
            """
        },
        { "python", "x = (\n" },
        { "python", "import sys\nprint('out')\nsys.exit(3)" },
        { "python", "import sys\nsys.exit('a message')" },
        { "python", "import atexit\natexit.register(lambda: print('atexit ran'))\nraise KeyError('k')" },
        {
            "javascript", """
            const fs = require('fs');
            console.log(require.main === module, module.id, __filename, __dirname, module.paths.length);
            console.log(JSON.stringify(process.argv), JSON.stringify(process.execArgv), JSON.stringify(Object.keys(require.cache)));
            console.log(JSON.stringify(fs.readFileSync(0, 'utf8')), process.cwd());
            """
        },
        {
            "javascript", """
            function inner() { throw new Error('boom'); }
            function outer() { inner(); }
            outer();
            """
        },
        { "javascript", "console.log('out');\nprocess.exit(4);" },
        // Node's own exit paths: an unhandled rejection's report and code, an exit code set and left, a large output
        // still in the pipe when the program ends.
        { "javascript", "process.exitCode = 7;\nPromise.reject(new Error('unhandled'));" },
        { "javascript", "process.on('exit', c => console.log('exit', c, process.exitCode));\nprocess.stdout.write('y'.repeat(300000) + '\\n');\nprocess.exitCode = 3;" },
        {
            // The launcher's warm-up leaves nothing behind: no handle or resource (read before stdout exists), no async id
            // or tick used up, no listener, no changed process method, no open descriptor.
            "javascript", """
            const ah = require('async_hooks');
            const before = JSON.stringify([process.getActiveResourcesInfo(), process.eventNames(), Object.keys(process).length,
              Object.hasOwn(process, 'emit'), require('fs').readdirSync('/proc/self/fd').length, ah.executionAsyncId(), ah.triggerAsyncId()]);
            process.nextTick(() => console.log('tick', ah.executionAsyncId(), ah.triggerAsyncId()));
            setTimeout(() => console.log('timeout', ah.executionAsyncId(), ah.triggerAsyncId()), 0);
            console.log(before, JSON.stringify(process.getActiveResourcesInfo()));
            """
        },
        {
            // Worker threads inherit node's own options: the preload must neither print nor read stdin in them.
            "javascript", """
            const { Worker } = require('worker_threads');
            const w = new Worker("console.log(JSON.stringify(process.execArgv), JSON.stringify(Object.keys(require.cache)))", { eval: true });
            w.on('exit', code => console.log('worker exit', code, JSON.stringify(require('fs').readFileSync(0, 'utf8'))));
            """
        },
        {
            // A forked node gets process.execArgv: no preload (it would wait for a header forever).
            "javascript", """
            const fs = require('fs');
            fs.writeFileSync('/tmp/child.js', "console.log('child', JSON.stringify(process.execArgv), JSON.stringify(process.argv.slice(2)))");
            require('child_process').fork('/tmp/child.js', ['x']).on('exit', code => console.log('fork exit', code));
            """
        },
        {
            // The pids limit given at dispatch: as many threads start as in a cold run of the same limit.
            "python", """
            import threading, time
            n = 0
            try:
                while True:
                    threading.Thread(target=time.sleep, args=(5,), daemon=True).start()
                    n += 1
            except RuntimeError as e:
                print('threads', n, e)
            """
        },
        { "javascript", "let x = ;" },
    };

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task A_program_sees_the_same_in_a_warm_sandbox_as_in_a_cold_one(string language, string code)
    {
        var spec = new ExecutionSpec(language, code, "line one\nline two\n", SandboxRunnerFixture.Limits() with { FileSizeBytes = 5000, CpuTimeMs = 3000, Processes = 40 },
            Args: Args);
        var warmBefore = warm.WarmRuns;

        var coldResult = await cold.Runner.RunAsync("like-cold", spec, CancellationToken.None);
        var warmResult = await warm.Runner.RunAsync("like-cold", spec, CancellationToken.None);

        Assert.Equal(warmBefore + 1, warm.WarmRuns);
        Assert.NotEqual(ExecutionStatus.InternalError, coldResult.Status);
        Assert.Equal((coldResult.Status, coldResult.ExitCode, coldResult.Signal), (warmResult.Status, warmResult.ExitCode, warmResult.Signal));
        Assert.Equal(coldResult.Stdout, warmResult.Stdout);
        Assert.Equal(coldResult.Stderr, warmResult.Stderr);
    }
}
