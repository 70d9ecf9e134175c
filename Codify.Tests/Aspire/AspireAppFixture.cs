using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Codify.AppHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Codify.Tests.Aspire;

/// <summary>
/// The whole app (redis-server, ExecutionApi, Sandbox) started once through the real AppHost and
/// shared by every test in the <see cref="AspireAppCollectionDefinition.Name"/> collection: a start costs ~10 s, a stop several more.
/// </summary>
/// <remarks>
/// The API's public endpoint is not proxied, so the testing builder's port randomizing does not reach it: <c>PORT=0</c>
/// lets the orchestrator pick a free port, so the tests can run next to a developer's <c>./run.sh</c> on :8080, and
/// <c>HOST=127.0.0.1</c> keeps the test copy off the machine's other interfaces. The testing builder leaves the dashboard out.
/// </remarks>
public sealed class AspireAppFixture : IAsyncLifetime
{
    /// <summary>Generous: on a busy 2-core machine the first start also JITs everything.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The test copy's own Redis data folder: never the developer's <c>.data/redis</c>, empty at every start.</summary>
    private readonly string _redisData = Directory.CreateTempSubdirectory("codify-e2e-redis-").FullName;

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app has not been started.");

    /// <summary>A client for the API, addressed through the app's (randomized) endpoint.</summary>
    public HttpClient CreateApiClient() => App.CreateHttpClient(ResourceNames.ExecutionApi);

    /// <summary>The API's public endpoint as the app allocated it (http://localhost:port).</summary>
    public Uri ApiAddress => App.GetEndpoint(ResourceNames.ExecutionApi, "http");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        string[] args = ["PORT=0", "HOST=127.0.0.1", $"REDIS_DATA_DIR={_redisData}"];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Codify_AppHost>(args, timeout.Token);
        builder.Services.AddLogging(logging => logging
            // The services' own logs reach the test output; at Information they drown a failure's reason.
            .AddFilter($"{typeof(ResourceNames).Assembly.GetName().Name}.Resources", LogLevel.Warning)
            .AddFilter("System.Net.Http", LogLevel.Warning));
        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);

        await Task.WhenAll(
            WaitUntilHealthyAsync(ResourceNames.ExecutionApi, timeout.Token),
            WaitUntilHealthyAsync(ResourceNames.Sandbox, timeout.Token));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_redisData, recursive: true);
    }

    private async Task WaitUntilHealthyAsync(string resource, CancellationToken cancellationToken)
    {
        try
        {
            // StopOnResourceUnavailable: a service that crashes at start fails the run now, not after the timeout.
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, WaitBehavior.StopOnResourceUnavailable, cancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException($"'{resource}' was not healthy within {StartTimeout}.", ex);
        }
    }
}
