using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Codify.AppHost.Redis;
using StackExchange.Redis;

namespace Codify.Tests.Infrastructure;

/// <summary>
/// A real Debian redis-server on a free loopback port, killed on dispose. Without persistence by default; a durable one
/// (<see cref="StartDurableAsync"/>) runs with the AppHost's own arguments and can be stopped, restarted on the same port,
/// paused and resumed, for the fault tests.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly IReadOnlyList<string> _arguments;
    private Process _process;

    private RedisServer(Process process, IReadOnlyList<string> arguments, int port, ConnectionMultiplexer connection)
    {
        _process = process;
        _arguments = arguments;
        Port = port;
        Connection = connection;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>The test's own connection (tolerant: it reconnects by itself after a restart).</summary>
    public ConnectionMultiplexer Connection { get; }

    public IDatabase Db => Connection.GetDatabase();

    public static Task<RedisServer> StartAsync() =>
        StartOnFreePortAsync(port => ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);

    /// <summary>Started exactly as the AppHost starts it: append-only file in <paramref name="dataDirectory"/>.</summary>
    public static Task<RedisServer> StartDurableAsync(string dataDirectory) =>
        StartOnFreePortAsync(port => RedisServerArguments.Build(port, dataDirectory));

    /// <summary>SIGTERM (Redis fsyncs its append-only file and exits), then a new redis-server on the same port and folder.</summary>
    public async Task RestartAsync()
    {
        await StopAsync(graceful: true);
        await StartAgainAsync();
    }

    /// <summary>SIGKILL: gone at once, as in a crash.</summary>
    public Task KillAsync() => StopAsync(graceful: false);

    /// <summary>SIGSTOP: the port stays open but nothing answers, the worst kind of slow Redis.</summary>
    public void Pause() => ProcessSignals.Send(_process.Id, ProcessSignals.Stop);

    public void Resume() => ProcessSignals.Send(_process.Id, ProcessSignals.Continue);

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await StopAsync(graceful: false);
        _process.Dispose();
    }

    /// <summary>
    /// A free port is only free until someone binds it: another test's redis-server (or an outgoing connection) can take it
    /// first. Then ours fails to bind and exits, and a test would silently share the other test's Redis, and lose it when
    /// that test kills it. So the server that answers must be the one launched here, or it is tried on another port.
    /// </summary>
    private static async Task<RedisServer> StartOnFreePortAsync(Func<int, IReadOnlyList<string>> arguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var launched = arguments(port);
            var process = Launch(launched);
            try
            {
                var connection = await ConnectAsync(port, process);
                return new RedisServer(process, launched, port, connection);
            }
            catch (PortTakenException) when (attempt < 5)
            {
                // Ours lost the port; should it still be starting, it must not linger beside the other test's server.
                if (!process.HasExited)
                {
                    process.Kill();
                }

                await process.WaitForExitAsync();
                process.Dispose();
            }
        }
    }

    /// <summary>A new redis-server on the same port and folder, after a stop.</summary>
    public async Task StartAgainAsync()
    {
        _process.Dispose();
        _process = Launch(_arguments);
        // Our own port, freed a moment ago: if someone else took it meanwhile, this test cannot go on (PortTakenException).
        (await ConnectAsync(Port, _process)).Dispose();
        await Eventually.ReturnsAsync(() => Task.FromResult(Connection.IsConnected), c => c, TimeSpan.FromSeconds(10), "the test's connection to come back");
    }

    private async Task StopAsync(bool graceful)
    {
        if (_process.HasExited)
        {
            return;
        }

        ProcessSignals.Send(_process.Id, ProcessSignals.Continue); // a paused server cannot act on SIGTERM
        if (graceful)
        {
            ProcessSignals.Send(_process.Id, ProcessSignals.Terminate);
        }
        else
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
    }

    private static Process Launch(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _ = process.StandardOutput.ReadToEndAsync();
        return process;
    }

    private static async Task<ConnectionMultiplexer> ConnectAsync(int port, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},connectTimeout=500,allowAdmin=true");
                // Admin: the test asks the server its pid (INFO). A server still loading its append-only file answers -LOADING.
                await connection.GetDatabase().PingAsync();
                if (await ServerPidAsync(connection, port) != process.Id)
                {
                    await connection.DisposeAsync();
                    throw new PortTakenException(port);
                }

                return connection;
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisServerException && DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (RedisConnectionException) when (process.HasExited)
            {
                throw new PortTakenException(port);
            }
        }
    }

    private static async Task<long> ServerPidAsync(ConnectionMultiplexer connection, int port)
    {
        var info = await connection.GetServer("127.0.0.1", port).InfoAsync("server");
        var pid = info.SelectMany(group => group).First(pair => pair.Key == "process_id").Value;
        return long.Parse(pid, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The port was taken by the time redis-server bound it: what answers there is not the server launched.</summary>
    private sealed class PortTakenException(int port) : Exception($"127.0.0.1:{port} is taken by another process; redis-server could not have it");
}
