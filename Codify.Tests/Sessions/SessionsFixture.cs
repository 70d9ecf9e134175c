using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.Contracts.Sessions;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Sessions;

/// <summary>Real Redis + real Sandbox + real API for the session tests, with a small per-client cap and short lifetimes.</summary>
public sealed class SessionsFixture : IAsyncLifetime
{
    public const int MaxSessionsPerClient = 3;

    public const int MaxFileBytes = 64 * 1024;

    public const int MaxFiles = 8;

    public const int PooledPython = 2;

    public RedisServer Redis { get; private set; } = null!;

    public SandboxFactory Sandbox { get; private set; } = null!;

    public ApiFactory Api { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Sandbox = new SandboxFactory(Redis.ConnectionString, new Dictionary<string, string?>
        {
            ["Sessions:InterruptGraceMs"] = "3000",
            // Sessions here take pooled kernels while the pool has one ready, and start their own otherwise.
            ["Sessions:Pool:Python"] = PooledPython.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sessions:Pool:Node"] = "1",
        });
        _ = Sandbox.Server;
        Api = new ApiFactory(Redis.ConnectionString, new Dictionary<string, string?>
        {
            ["Sessions:MaxSessionsPerClient"] = MaxSessionsPerClient.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sessions:MaxFileBytes"] = MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sessions:MaxFiles"] = MaxFiles.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Client = Api.CreateClient();
        await Eventually.ReturnsAsync(
            () => Redis.Db.SortedSetLengthAsync(RedisKeys.HealthySandboxes),
            count => count > 0, TimeSpan.FromSeconds(30), "a healthy sandbox heartbeat");
    }

    public Task<SessionInfo> CreateAsync(string language = "python", int? idleTimeoutSeconds = null, object? limits = null) =>
        CreateAsync(Client, language, idleTimeoutSeconds, limits);

    public static async Task<SessionInfo> CreateAsync(HttpClient client, string language = "python", int? idleTimeoutSeconds = null, object? limits = null)
    {
        using var response = await client.PostAsJsonAsync("/api/sessions", new { language, idleTimeoutSeconds, limits });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var session = (await response.Content.ReadFromJsonAsync<SessionInfo>(CodifyJson.Options))!;
        // A pooled kernel's cgroup is not named after the session: learnt now, while it lives, for the leftover checks.
        SessionLeftovers.Remember(session.Id);
        return session;
    }

    public async Task<ExecutionRecord> RunAsync(string sessionId, string code, string? stdin = null, double? timeout = null)
    {
        using var response = await Client.PostAsJsonAsync($"/api/sessions/{sessionId}/execute", new { code, stdin, timeout });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!;
    }

    public async Task<SessionInfo> GetAsync(string sessionId) =>
        (await Client.GetFromJsonAsync<SessionInfo>($"/api/sessions/{sessionId}", CodifyJson.Options))!;

    public async Task CloseAsync(string sessionId)
    {
        using var response = await Client.DeleteAsync($"/api/sessions/{sessionId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Api.DisposeAsync();
        await Sandbox.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SessionGroup : ICollectionFixture<SessionsFixture>
{
    public const string Name = "sessions";
}
