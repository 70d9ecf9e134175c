using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Codify.AppHost;

namespace Codify.Tests.Aspire;

/// <summary>The seed's variables set for the AppHost reach the services (the app model is built, not started).</summary>
public sealed class SettingsForwardingTests
{
    [Fact]
    public async Task Seed_variables_given_to_the_apphost_reach_the_api_and_the_sandbox()
    {
        string[] args = ["RATE_LIMIT_POINTS=1000", "MAX_CONCURRENT_EXECUTIONS=3", "CODE_SIZE_LIMIT=2048"];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Codify_AppHost>(args);

        var api = Environment(builder, ResourceNames.ExecutionApi);
        var sandbox = Environment(builder, ResourceNames.Sandbox);

        Assert.Equal("1000", (await api)["RATE_LIMIT_POINTS"]);
        Assert.Equal("2048", (await api)["CODE_SIZE_LIMIT"]);
        Assert.Equal("3", (await sandbox)["MAX_CONCURRENT_EXECUTIONS"]);
        Assert.False((await sandbox).ContainsKey("RATE_LIMIT_POINTS"));
    }

    private static async Task<Dictionary<string, string>> Environment(IDistributedApplicationTestingBuilder builder, string name)
    {
        var resource = (IResourceWithEnvironment)builder.Resources.Single(r => r.Name == name);
        // Obsolete in 13.6 in favour of ExecutionConfigurationBuilder, which needs a running app's execution context;
        // this one still evaluates the model's environment callbacks without starting anything, which is all we need.
#pragma warning disable CS0618
        return await resource.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Run);
#pragma warning restore CS0618
    }
}
