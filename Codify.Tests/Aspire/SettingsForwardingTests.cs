using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Codify.AppHost;

namespace Codify.Tests.Aspire;

/// <summary>The seed's variables set for the AppHost reach the services (the app model is built, not started).</summary>
[EndToEndTier]
public sealed class SettingsForwardingTests
{
    [Fact]
    public async Task Seed_variables_given_to_the_apphost_reach_the_api_and_the_sandbox()
    {
        string[] args = ["RATE_LIMIT_POINTS=1000", "MAX_CONCURRENT_EXECUTIONS=3", "CODE_SIZE_LIMIT=2048"];
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Codify_AppHost>(args);

        var api = await EnvironmentAsync(builder, ResourceNames.ExecutionApi);
        var sandbox = await EnvironmentAsync(builder, ResourceNames.Sandbox);

        Assert.Equal("1000", api["RATE_LIMIT_POINTS"]);
        Assert.Equal("2048", api["CODE_SIZE_LIMIT"]);
        Assert.Equal("3", sandbox["MAX_CONCURRENT_EXECUTIONS"]);
        Assert.False(sandbox.ContainsKey("RATE_LIMIT_POINTS"));
    }

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
