using System.Text.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Callbacks;

/// <summary>Real Redis + real Sandbox; each test starts the API replicas it needs, with its own callback settings.</summary>
public sealed class CallbackStackFixture : IAsyncLifetime
{
    public const string Secret = "callback-test-secret-0123456789";

    public RedisServer Redis { get; private set; } = null!;

    public SandboxFactory Sandbox { get; private set; } = null!;

    /// <summary>Loopback receivers allowed; retries and reclaims short so the tests stay quick.</summary>
    public static Dictionary<string, string?> Settings(bool allowPrivateNetworks = true) => new()
    {
        ["Callbacks:Secret"] = Secret,
        ["Callbacks:AllowPrivateNetworks"] = allowPrivateNetworks ? "true" : "false",
        ["Callbacks:MaxAttempts"] = "3",
        ["Callbacks:RetryDelayMs"] = "50",
        ["Callbacks:AttemptTimeoutSeconds"] = "5",
        ["Callbacks:TotalTimeoutSeconds"] = "10",
        ["Callbacks:ReclaimIdleSeconds"] = "20",
        ["Callbacks:PollIntervalMs"] = "200",
    };

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Sandbox = new SandboxFactory(Redis.ConnectionString);
        _ = Sandbox.Server;
        await Eventually.ReturnsAsync(
            () => Redis.Db.SortedSetLengthAsync(RedisKeys.HealthySandboxes),
            count => count > 0, TimeSpan.FromSeconds(30), "a healthy sandbox heartbeat");
    }

    public async Task DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        await Redis.DisposeAsync();
    }

    public Task<string> WaitForCallbackSettledAsync(string id) => WaitForCallbackSettledAsync(Redis, id);

    /// <summary>
    /// Waits until the delivery has an outcome and its stream entry is acknowledged and deleted: from then on no
    /// replica can deliver it again, so counting the receiver's POSTs is final, not a guess.
    /// </summary>
    public static async Task<string> WaitForCallbackSettledAsync(RedisServer redis, string id)
    {
        var settled = await Eventually.ReturnsAsync(
            async () => (Status: (await redis.Db.HashGetAsync(RedisKeys.Execution(id), ExecutionFields.CallbackStatus)).ToString(),
                Queued: await redis.Db.StreamLengthAsync(RedisKeys.CallbackStream)),
            s => !string.IsNullOrEmpty(s.Status) && s.Queued == 0,
            TimeSpan.FromSeconds(60), $"the callback of {id} to settle");
        return settled.Status;
    }

    public static ExecutionRecord Parse(ReceivedCallback callback) =>
        JsonSerializer.Deserialize<ExecutionRecord>(callback.Body, CodifyJson.Options)!;
}

[CollectionDefinition(Name)]
public sealed class CallbackStackGroup : ICollectionFixture<CallbackStackFixture>
{
    public const string Name = "callbacks";
}
