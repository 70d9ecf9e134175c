using System.Diagnostics;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Codify.Tests.Telemetry;

/// <summary>Real Redis + Sandbox + API, each host with in-memory exporters on its telemetry pipeline.</summary>
public sealed class TelemetryFixture : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public WebApplicationFactory<Codify.Sandbox.SandboxMarker> Sandbox { get; private set; } = null!;

    public WebApplicationFactory<Codify.ExecutionApi.ApiMarker> Api { get; private set; } = null!;

    /// <summary>Disposing a factory disposes the ones derived from it with WithWebHostBuilder.</summary>
    private SandboxFactory SandboxBase { get; set; } = null!;

    private ApiFactory ApiBase { get; set; } = null!;

    public TelemetryCapture SandboxTelemetry { get; } = new();

    public TelemetryCapture ApiTelemetry { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        SandboxBase = new SandboxFactory(Redis.ConnectionString);
        Sandbox = SandboxBase.WithWebHostBuilder(SandboxTelemetry.AddTo);
        _ = Sandbox.Server; // starts the host and its hosted services
        ApiBase = new ApiFactory(Redis.ConnectionString);
        Api = ApiBase.WithWebHostBuilder(ApiTelemetry.AddTo);
        Client = Api.CreateClient();
        await Eventually.ReturnsAsync(
            () => Redis.Db.SortedSetLengthAsync(RedisKeys.HealthySandboxes),
            count => count > 0, TimeSpan.FromSeconds(30), "a healthy sandbox heartbeat");
    }

    /// <summary>Runs one execution to its end inside a new trace the client starts (sent as a W3C traceparent header).</summary>
    public async Task<(ExecutionRecord Record, ActivityTraceId TraceId)> ExecuteInNewTraceAsync(object body)
    {
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/execute?wait=true") { Content = JsonContent.Create(body) };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var record = (await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!;
        Assert.True(record.Status.IsTerminal(), $"execution {record.Id} did not end: {record.Status}");
        return (record, traceId);
    }

    /// <summary>Exports every metric the host's pipeline holds now into its capture.</summary>
    public static void FlushMetrics(IServiceProvider host) =>
        Assert.True(host.GetRequiredService<MeterProvider>().ForceFlush(10_000));

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await ApiBase.DisposeAsync();
        await SandboxBase.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class TelemetryGroup : ICollectionFixture<TelemetryFixture>
{
    public const string Name = "telemetry";
}
