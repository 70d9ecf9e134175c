using Codify.Sandbox.Launch;

namespace Codify.Sandbox.Pool;

/// <summary>
/// Node's warm launcher: `node --max-old-space-size=N --no-rehash-snapshot --require /.codify/boot.js main.js`. The
/// preload runs before node loads the main module, so node itself then runs /box/main.js exactly as cold: require.main,
/// module, stack traces (no launcher frame). The preload appends the arguments to process.argv, removes itself from
/// process.execArgv (forks start plain) and from require.cache. It reads fd 0 before anything creates process.stdin, so
/// the rest is the program's. Worker threads inherit node's own --require (not process.execArgv): in a worker it only
/// hides itself the same way.
/// <para>
/// Before its ready byte it pays what a run's first console.log would (bench/scripts/node_warm_cost.py measures it:
/// about half of what a hello world spends after its program arrives): loading net and stream (process.stdout's
/// modules) and compiling the console's format, inspect and stream-write code. It does so through throwaway objects
/// only, so the program finds nothing it could tell apart from a cold start: no handle, no open descriptor, no async
/// id or tick consumed, no listener, no output. Those modules then show in process.moduleLoadList, as loaded builtins
/// (like python's preloads in sys.modules).
/// </para>
/// </summary>
internal static class NodeLauncher
{
    /// <summary>Where node's preload is bound read-only inside a warm sandbox.</summary>
    public const string PreloadPath = BubblewrapCommand.LauncherDir + "/boot.js";

    public const string Preload = """
        'use strict';
        const fs = require('fs');
        function readExact(n) {
          const buf = Buffer.alloc(n);
          let off = 0;
          while (off < n) {
            let r;
            try {
              r = fs.readSync(0, buf, off, n - off, null);
            } catch (e) {
              if (e.code !== 'EAGAIN') throw e;
              Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
              continue;
            }
            if (r === 0) process.exit(0);
            off += r;
          }
          return buf;
        }
        function warmUp() {
          require('net');
          const { Writable } = require('stream');
          // Its write never completes: no afterWrite tick is queued for the program's first tick to run.
          const sink = new Writable({ write() {} });
          // colorMode false: 'auto' would load node's color module, which creates process.stderr (a handle the program could see).
          new (require('console').Console)({ stdout: sink, stderr: sink, colorMode: false }).log('%s %d %o', 'warm', 1, { a: [1] });
        }
        // Worker threads inherit node's --require: in them the preload only hides itself (no ready byte, no stdin read).
        // Node marks the main-thread-only process methods it disables in workers; require('worker_threads') would say
        // the same at 2 ms of CPU per start.
        if (process.chdir.disabled !== true) {
          warmUp();
          fs.writeSync(1, '\0');
          const parts = readExact(parseInt(readExact(8).toString('latin1'), 16)).toString('utf8').split('\0');
          process.argv.push(...parts.slice(1, 1 + Number(parts[0])));
        }
        process.execArgv = process.execArgv.filter((a, i, all) => a !== '--require' && all[i - 1] !== '--require');
        delete require.cache[__filename];
        """;
}
