using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Codify.AppHost;

namespace Codify.Tests.Aspire;

/// <summary>
/// Each seed variable or section setting given to the AppHost reaches the one service that reads it, and only that one; with nothing given
/// the API's public endpoint is the seed's 0.0.0.0:8080, bound by the API itself (the app model is built, not started).
/// </summary>
[EndToEndTier]
public sealed class SettingsForwardingTests
{
    /// <summary>
    /// Variable (a seed variable, or a <c>Section:Key</c> of a section one service binds, which reaches it as
    /// <c>Section__Key</c>), a value that differs from its default, and the service that reads it.
    /// </summary>
    public static readonly TheoryData<string, string, string> Settings = new()
    {
        { "HOST", "127.0.0.1", ResourceNames.ExecutionApi },
        { "FRONTEND_URL", "https://app.codify.test", ResourceNames.ExecutionApi },
        { "EXECUTION_TIMEOUT_MAX", "20", ResourceNames.ExecutionApi },
        { "CODE_SIZE_LIMIT", "2048", ResourceNames.ExecutionApi },
        { "RATE_LIMIT_POINTS", "1000", ResourceNames.ExecutionApi },
        { "RATE_LIMIT_DURATION", "120", ResourceNames.ExecutionApi },
        { "API_KEYS", "forwarded-key-0123456789", ResourceNames.ExecutionApi },
        { "MAX_CONCURRENT_EXECUTIONS", "3", ResourceNames.Sandbox },
        { "Callbacks:Secret", "forwarded-secret-0123456789", ResourceNames.ExecutionApi },
        { "Limits:MaxMemoryBytes", "536870912", ResourceNames.ExecutionApi },
        { "Piston:Connect:InitTimeoutMilliseconds", "2000", ResourceNames.ExecutionApi },
        { "Sandbox:Pool:Python", "4", ResourceNames.Sandbox },
        { "Isolation:TmpfsBytes", "33554432", ResourceNames.Sandbox },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task A_setting_given_to_the_apphost_reaches_only_the_service_that_reads_it(string setting, string value, string reader)
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Codify_AppHost>([$"{setting}={value}"]);
        var other = reader == ResourceNames.ExecutionApi ? ResourceNames.Sandbox : ResourceNames.ExecutionApi;
        var variable = setting.Replace(":", "__", StringComparison.Ordinal);

        Assert.Equal(value, (await EnvironmentAsync(builder, reader))[variable]);
        Assert.False((await EnvironmentAsync(builder, other)).ContainsKey(variable));
    }

    [Fact]
    public async Task Port_moves_the_apis_own_endpoint_and_reaches_only_the_api()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Codify_AppHost>(["PORT=9123"]);

        var endpoint = ApiEndpoint(builder);
        Assert.Equal((9123, 9123), (endpoint.Port, endpoint.TargetPort));
        Assert.True((await EnvironmentAsync(builder, ResourceNames.ExecutionApi)).ContainsKey("PORT"));
        Assert.False((await EnvironmentAsync(builder, ResourceNames.Sandbox)).ContainsKey("PORT"));
    }

    [Fact]
    public async Task With_nothing_set_the_api_itself_listens_on_every_interface_at_8080()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Codify_AppHost>();

        var endpoint = ApiEndpoint(builder);
        // Unproxied: a proxy in between would make every client 127.0.0.1 to the API's per-client budgets.
        Assert.False(endpoint.IsProxied);
        Assert.Equal((8080, "0.0.0.0"), (endpoint.Port, endpoint.TargetHost));
        Assert.Equal("0.0.0.0", (await EnvironmentAsync(builder, ResourceNames.ExecutionApi))["HOST"]);
        // Nothing else is forced on the services: each keeps its own defaults, the seed's.
        var api = await EnvironmentAsync(builder, ResourceNames.ExecutionApi);
        var sandbox = await EnvironmentAsync(builder, ResourceNames.Sandbox);
        Assert.DoesNotContain(api.Keys, key => key != "HOST" && Settings.Any(row => ((string)row[0]).Replace(":", "__", StringComparison.Ordinal) == key));
        Assert.DoesNotContain(sandbox.Keys, key => key is "PORT" || Settings.Any(row => ((string)row[0]).Replace(":", "__", StringComparison.Ordinal) == key));
    }

    private static EndpointAnnotation ApiEndpoint(IDistributedApplicationTestingBuilder builder) =>
        builder.Resources.Single(r => r.Name == ResourceNames.ExecutionApi).Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http");

    /// <summary>
    /// Runs the resource's environment callbacks without resolving their values: values that only exist once the app
    /// runs (allocated ports, connection strings) stay unresolved objects, the forwarded settings are plain strings.
    /// </summary>
    private static async Task<Dictionary<string, object>> EnvironmentAsync(IDistributedApplicationTestingBuilder builder, string name)
    {
        var resource = builder.Resources.Single(r => r.Name == name);
        var environment = new Dictionary<string, object>();
        var context = new EnvironmentCallbackContext(builder.ExecutionContext, environment);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context).WaitAsync(TimeSpan.FromSeconds(30));
        }

        return environment;
    }
}
