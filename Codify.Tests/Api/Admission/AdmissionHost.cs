using System.Net.Http.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Api.Admission;

/// <summary>
/// A real API (or several replicas) on its own real Redis. A heartbeat written by the test advertises a sandbox: admission
/// is decided before any worker is involved, so the accepted jobs simply stay queued and no bubblewrap is needed.
/// </summary>
public sealed class AdmissionHost : IAsyncDisposable
{
    private readonly List<ApiFactory> _replicas = [];

    private AdmissionHost(RedisServer redis) => Redis = redis;

    public RedisServer Redis { get; }

    public static object Program { get; } = new { code = "print(1)", language = "python" };

    public static async Task<AdmissionHost> StartAsync(bool advertiseSandbox = true)
    {
        var host = new AdmissionHost(await RedisServer.StartAsync());
        if (advertiseSandbox)
        {
            // Scored an hour ahead: it stays "fresh" for the whole test.
            await host.Redis.Db.SortedSetAddAsync(RedisKeys.HealthySandboxes, "test-heartbeat",
                DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds());
        }

        return host;
    }

    /// <summary>A new API replica on this Redis.</summary>
    public ApiFactory AddReplica(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var api = new ApiFactory(Redis.ConnectionString, settings);
        _replicas.Add(api);
        return api;
    }

    public static Task<HttpResponseMessage> ExecuteAsync(HttpClient client, string? apiKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/execute") { Content = JsonContent.Create(Program) };
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }

        return client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var api in _replicas)
        {
            await api.DisposeAsync();
        }

        await Redis.DisposeAsync();
    }
}
