using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Sandbox.Hostile;

/// <summary>
/// The sandbox has its own network namespace with only an empty loopback: the host's loopback services (Redis, anything
/// listening on 127.0.0.1) are unreachable in both directions. Every connection here aims at 127.0.0.1 only.
/// </summary>
[SandboxTier]
public class NetworkHostileTests(SandboxRunnerFixture sandbox) : IClassFixture<SandboxRunnerFixture>
{
    private static readonly ExecutionLimits Limits = SandboxRunnerFixture.Limits(wallMs: 10_000);

    private const string PythonConnect = """
        import errno, socket
        for name, port in [('redis', @REDIS@), ('listener', @LISTENER@)]:
            s = socket.socket()
            s.settimeout(3)
            try:
                s.connect(('127.0.0.1', port))
                print(name, 'connected')
            except OSError as e:
                print(name, errno.errorcode.get(e.errno, type(e).__name__))
        """;

    private const string NodeConnect = """
        const net = require('net');
        const tryConnect = (name, port) => new Promise(resolve => {
          const s = net.connect({ host: '127.0.0.1', port });
          s.setTimeout(3000, () => { console.log(name, 'timeout'); s.destroy(); resolve(); });
          s.on('connect', () => { console.log(name, 'connected'); s.destroy(); resolve(); });
          s.on('error', e => { console.log(name, e.code); resolve(); });
        });
        (async () => {
          await tryConnect('redis', @REDIS@);
          await tryConnect('listener', @LISTENER@);
        })();
        """;

    [Theory]
    [InlineData("python")]
    [InlineData("javascript")]
    public async Task Host_Redis_and_a_host_loopback_listener_refuse_the_sandbox(string language)
    {
        await using var redis = await RedisServer.StartAsync();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var listenerPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        var redisConnectionsBefore = await RedisConnectionsReceivedAsync(redis);
        var code = (language == "python" ? PythonConnect : NodeConnect)
            .Replace("@REDIS@", redis.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@LISTENER@", listenerPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var run = await sandbox.RunHostileAsync(language, code, Limits);

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        Assert.Equal("redis ECONNREFUSED\nlistener ECONNREFUSED\n", run.Result.Stdout);
        Assert.False(listener.Pending(), "the host listener received a connection from the sandbox");
        Assert.Equal(redisConnectionsBefore, await RedisConnectionsReceivedAsync(redis));
        await sandbox.AssertHostUntouchedAsync(run);
    }

    [Fact]
    public async Task The_network_namespace_is_empty_loopback_only_with_no_route_and_no_host_sockets()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        const string code = """
            import socket
            print('interfaces', ','.join(sorted(n for _, n in socket.if_nameindex())))
            routes = open('/proc/net/route').read().splitlines()[1:]
            print('routes', len(routes))
            local_ports = {int(l.split()[1].split(':')[1], 16) for l in open('/proc/net/tcp').read().splitlines()[1:]}
            print('host-port-visible', @PORT@ in local_ports)
            s = socket.socket()
            s.bind(('127.0.0.1', @PORT@))
            print('bind-host-port ok')
            """;

        var run = await sandbox.RunHostileAsync("python", code.Replace("@PORT@", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), Limits);

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        // Binding the port the host is listening on works: it is a different loopback.
        Assert.Equal("interfaces lo\nroutes 0\nhost-port-visible False\nbind-host-port ok\n", run.Result.Stdout);
        await sandbox.AssertHostUntouchedAsync(run);
    }

    [Fact]
    public async Task The_host_cannot_reach_a_server_listening_inside_the_sandbox()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        const string code = """
            import socket, time
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(('127.0.0.1', @PORT@))
            s.listen()
            s.settimeout(0.1)
            accepted, deadline = 0, time.time() + 2
            while time.time() < deadline:
                try:
                    s.accept()[0].close()
                    accepted += 1
                except socket.timeout:
                    pass
            print('accepted', accepted)
            """;

        var running = sandbox.RunHostileAsync("python", code.Replace("@PORT@", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), Limits);
        var attempts = new List<string>();
        while (!running.IsCompleted)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                attempts.Add("connected");
            }
            catch (SocketException e)
            {
                attempts.Add(e.SocketErrorCode.ToString());
            }

            await Task.Delay(50);
        }

        var run = await running;

        Assert.Equal(ExecutionStatus.Completed, run.Result.Status);
        Assert.Equal("accepted 0\n", run.Result.Stdout);
        Assert.NotEmpty(attempts);
        Assert.All(attempts, a => Assert.Equal(nameof(SocketError.ConnectionRefused), a));
        await sandbox.AssertHostUntouchedAsync(run);
    }

    private static async Task<long> RedisConnectionsReceivedAsync(RedisServer redis)
    {
        var info = (await redis.Db.ExecuteAsync("INFO", "stats")).ToString();
        var line = info.Split('\n').Single(l => l.StartsWith("total_connections_received:", StringComparison.Ordinal));
        return long.Parse(line.Split(':')[1].Trim(), CultureInfo.InvariantCulture);
    }
}
