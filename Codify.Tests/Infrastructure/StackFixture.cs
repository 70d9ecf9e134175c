using System.Net.Http.Json;
using Codify.Contracts;

namespace Codify.Tests.Infrastructure;

/// <summary>Real Redis + real Sandbox + real API, shared by the tests of one collection.</summary>
public sealed class StackFixture : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public SandboxFactory Sandbox { get; private set; } = null!;

    public ApiFactory Api { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        Sandbox = new SandboxFactory(Redis.ConnectionString);
        _ = Sandbox.Server; // starts the host and its hosted services
        Api = new ApiFactory(Redis.ConnectionString);
        Client = Api.CreateClient();
        await Eventually.ReturnsAsync(
            () => Redis.Db.SortedSetLengthAsync(RedisKeys.HealthySandboxes),
            count => count > 0, TimeSpan.FromSeconds(30), "a healthy sandbox heartbeat");
    }

    public async Task<ExecutionRecord> ExecuteAndWaitAsync(object body)
    {
        using var response = await Client.PostAsJsonAsync("/api/execute?wait=true", body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!;
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
public sealed class StackGroup : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}
