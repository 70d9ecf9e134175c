using Codify.Contracts;

namespace Codify.Tests.Sandbox.Hostile.Sessions;

/// <summary>
/// Two live sessions share nothing: a cell of one cannot see the other's variables, files (/box, /tmp, /dev/shm, home),
/// processes or abstract unix sockets, while the other's own next cell still has all of them; once both end nothing of
/// either is left on the host.
/// </summary>
[SandboxTier]
[Collection(SessionHostileGroup.Name)]
public sealed class BetweenSessionsHostileTests(SessionSandboxRunnerFixture sandbox) : IClassFixture<SessionSandboxRunnerFixture>
{
    private static readonly ExecutionLimits Limits = SandboxRunnerFixture.Limits(wallMs: 10_000);

    private const string Leave = """
        import os, socket, subprocess
        secret = '@MARKER@'
        for d in ['/tmp', '/box', '/dev/shm', os.path.expanduser('~')]:
            with open(f'{d}/@MARKER@', 'w') as f:
                f.write(secret)
        sleeper = subprocess.Popen(['@MARKER@-sleep', '300'], executable='sleep')
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind('\0@MARKER@')
        listener.listen()
        print('left')
        """;

    private const string StillThere = """
        import os, socket
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.connect('\0@MARKER@')
        print(secret == '@MARKER@', sleeper.poll() is None, open('/tmp/@MARKER@').read() == secret)
        """;

    private const string PythonLook = """
        import errno, os, socket
        other = '@OTHER@'
        seen = [n for n in ('secret', 'sleeper', 'listener') if n in globals()]
        seen += [f'{d}/{n}' for d in ['/tmp', '/box', '/dev/shm', os.path.expanduser('~')] for n in os.listdir(d) if other in n]
        for p in filter(str.isdigit, os.listdir('/proc')):
            try:
                if other.encode() in open(f'/proc/{p}/cmdline', 'rb').read():
                    seen.append(f'/proc/{p}')
            except OSError:
                pass
        try:
            socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).connect('\0' + other)
            seen.append('abstract socket')
        except OSError as e:
            print('connect', errno.errorcode[e.errno])
        print('seen', seen)
        """;

    private const string NodeLook = """
        (async () => {
          const fs = require('fs'), os = require('os'), net = require('net');
          const other = '@OTHER@';
          const seen = ['secret', 'sleeper', 'listener'].filter((n) => n in globalThis);
          for (const d of ['/tmp', '/box', '/dev/shm', os.homedir()]) for (const n of fs.readdirSync(d)) if (n.includes(other)) seen.push(`${d}/${n}`);
          for (const p of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
            try { if (fs.readFileSync(`/proc/${p}/cmdline`).includes(other)) seen.push(`/proc/${p}`); } catch {}
          }
          await new Promise((resolve) => {
            const c = net.connect('\0' + other);
            c.on('connect', () => { seen.push('abstract socket'); c.destroy(); resolve(); });
            c.on('error', (e) => { console.log('connect', e.code); resolve(); });
          });
          console.log('seen', JSON.stringify(seen).replaceAll('"', "'").replaceAll(',', ', '));
        })()
        """;

    [Theory]
    [InlineData("python")]
    [InlineData("javascript")]
    public async Task A_cell_cannot_see_another_live_sessions_variables_files_processes_or_sockets(string lookerLanguage)
    {
        var (leaver, looker) = (HostChecks.NewMarker(), HostChecks.NewMarker());
        var a = await sandbox.Sessions.StartAsync(leaver, SessionTestSteps.Python, Limits);
        var b = await sandbox.Sessions.StartAsync(looker, lookerLanguage, Limits);

        var left = await sandbox.Sessions.RunCellAsync(a, Leave.Replace(HostChecks.MarkerToken, leaver, StringComparison.Ordinal), Limits);
        Assert.True(left.Stdout == "left\n", $"{left.Status.ToWire()} {left.Stdout} {left.Stderr}");
        var looked = await sandbox.Sessions.RunCellAsync(b,
            (lookerLanguage == "python" ? PythonLook : NodeLook).Replace("@OTHER@", leaver, StringComparison.Ordinal), Limits);

        Assert.Equal(ExecutionStatus.Completed, looked.Status);
        Assert.Equal("connect ECONNREFUSED\nseen []\n", looked.Stdout);
        // What it could not see is really there: the leaving session's own next cell has every piece of it.
        await sandbox.AssertGoesOnAsync(a, StillThere.Replace(HostChecks.MarkerToken, leaver, StringComparison.Ordinal), "True True True\n", Limits);
        await sandbox.EndAndAssertGoneAsync(leaver, a);
        await sandbox.EndAndAssertGoneAsync(looker, b);
    }
}
