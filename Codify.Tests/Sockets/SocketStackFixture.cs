using System.Net.Http.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Sockets;

/// <summary>
/// Real Redis + real Sandbox + three API replicas on real Kestrel listeners: <see cref="A"/> and <see cref="B"/> as
/// configured by default, and <see cref="Strict"/> with API keys (one per test, so each test is its own client) and
/// small WebSocket limits.
/// </summary>
public sealed class SocketStackFixture : IAsyncLifetime
{
    /// <summary>Keys <see cref="Strict"/> accepts; a test takes its own so that its limits are not shared.</summary>
    public static readonly string[] Keys = [.. Enumerable.Range(0, 12).Select(i => $"socket-test-key-{i:D4}")];

    public const int StrictConnections = 2;
    public const int StrictSubscriptions = 2;
    public const int StrictSendBuffer = 4;
    public const int StrictMaxMessageBytes = 4096;

    public RedisServer Redis { get; private set; } = null!;

    public SandboxFactory Sandbox { get; private set; } = null!;

    public KestrelApi A { get; private set; } = null!;

    public KestrelApi B { get; private set; } = null!;

    public KestrelApi Strict { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Sandbox = new SandboxFactory(Redis.ConnectionString);
        _ = Sandbox.Server;
        A = KestrelApi.Start(Redis.ConnectionString);
        B = KestrelApi.Start(Redis.ConnectionString);
        Strict = KestrelApi.Start(Redis.ConnectionString, new Dictionary<string, string?>
        {
            ["API_KEYS"] = string.Join(',', Keys),
            ["RATE_LIMIT_POINTS"] = "1",
            ["WebSockets:MaxConnectionsPerClient"] = $"{StrictConnections}",
            ["WebSockets:MaxSubscriptionsPerConnection"] = $"{StrictSubscriptions}",
            ["WebSockets:SendBufferMessages"] = $"{StrictSendBuffer}",
            ["WebSockets:MaxMessageBytes"] = $"{StrictMaxMessageBytes}",
            ["WebSockets:OverflowGraceMilliseconds"] = "500",
            // The slow reader of the overflow test starts reading only after its execution ended.
            ["WebSockets:CloseTimeoutSeconds"] = "60",
        });
        await Eventually.ReturnsAsync(
            () => Redis.Db.SortedSetLengthAsync(RedisKeys.HealthySandboxes),
            count => count > 0, TimeSpan.FromSeconds(30), "a healthy sandbox heartbeat");
    }

    /// <summary>Queues an execution over HTTP on <paramref name="api"/> (default <see cref="A"/>) and returns its id.</summary>
    public async Task<string> StartAsync(string code, KestrelApi? api = null, object? limits = null)
    {
        using var response = await (api ?? A).Client.PostAsJsonAsync("/api/execute", new { code, language = "python", timeout = 30, limits });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!.Id;
    }

    public async Task<ExecutionRecord> GetAsync(string id, KestrelApi? api = null) =>
        (await (api ?? A).Client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{id}", CodifyJson.Options))!;

    public Task<ExecutionRecord> WaitForEndAsync(string id) =>
        Eventually.ReturnsAsync(() => GetAsync(id), r => r.Status.IsTerminal(), TimeSpan.FromSeconds(60), $"the end of execution {id}");

    public async Task DisposeAsync()
    {
        await Strict.DisposeAsync();
        await B.DisposeAsync();
        await A.DisposeAsync();
        await Sandbox.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SocketStackGroup : ICollectionFixture<SocketStackFixture>
{
    public const string Name = "sockets";
}
