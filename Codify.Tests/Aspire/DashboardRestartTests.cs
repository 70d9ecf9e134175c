using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Codify.AppHost;
using Codify.Contracts;
using Codify.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Codify.Tests.Aspire;

/// <summary>
/// Restarting one resource the way the dashboard's Restart button does (the orchestrator's restart command) leaves the
/// system healthy: earlier records are still there and new work completes, without touching the other resources.
/// Its own copy of the app, so the shared one is never restarted under other tests.
/// </summary>
[EndToEndTier]
public sealed class DashboardRestartTests
{
    private static readonly object Hello = new { language = "python", code = "print('again')" };

    [Theory]
    [InlineData(ResourceNames.Redis)]
    [InlineData(ResourceNames.ExecutionApi)]
    [InlineData(ResourceNames.Sandbox)]
    public async Task Restarting_one_resource_leaves_the_system_serving(string resource)
    {
        var app = new AspireAppFixture();
        await app.InitializeAsync();
        try
        {
            using var client = app.CreateApiClient();
            var before = await RunAsync(client);

            var commands = app.App.Services.GetRequiredService<ResourceCommandService>();
            var expected = resource == ResourceNames.Sandbox ? 2 : 1; // the AppHost runs SANDBOX_REPLICAS (default 2) sandboxes
            var instances = await InstancesOfAsync(app.App, resource, expected);
            Assert.Equal(expected, instances.Count);
            foreach (var instance in instances)
            {
                var result = await commands.ExecuteCommandAsync(instance, KnownResourceCommands.RestartCommand);
                Assert.True(result.Success, $"restart of {instance}: {result.Message}");
            }

            // Serving again: a new run completes (503s while the restarted piece comes back are expected, never a 500).
            var after = await Eventually.ReturnsAsync(() => TryRunAsync(client), r => r is not null,
                TimeSpan.FromSeconds(90), $"a run to complete after restarting {resource}");
            Assert.Equal("again\n", after!.Stdout);
            using var earlier = await client.GetAsync($"/api/execute/{before.Id}");
            Assert.Equal(HttpStatusCode.OK, earlier.StatusCode);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>The resource's instances as the dashboard lists them (a project with replicas has one per replica).</summary>
    private static async Task<List<string>> InstancesOfAsync(DistributedApplication app, string resource, int expected)
    {
        var ids = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var e in app.ResourceNotifications.WatchAsync(timeout.Token))
        {
            if (e.Resource.Name == resource && !ids.Contains(e.ResourceId))
            {
                ids.Add(e.ResourceId);
            }

            if (ids.Count == expected)
            {
                break;
            }
        }

        return ids;
    }

    private static async Task<ExecutionRecord> RunAsync(HttpClient client) =>
        await TryRunAsync(client) ?? throw new InvalidOperationException("the first run did not complete");

    private static async Task<ExecutionRecord?> TryRunAsync(HttpClient client)
    {
        try
        {
            using var response = await client.PostAsJsonAsync("/api/execute?wait=true", Hello);
            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            var record = await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options);
            return record?.Status == ExecutionStatus.Completed ? record : null;
        }
        catch (HttpRequestException)
        {
            return null; // the API itself is restarting: nothing listens for a moment
        }
    }
}
