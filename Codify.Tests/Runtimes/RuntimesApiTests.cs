using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Runtimes;

/// <summary>GET /api/runtimes and the <c>version</c> of POST /api/execute, over real HTTP with the real Sandbox publishing.</summary>
[Collection(StackGroup.Name)]
[ApiTier]
public sealed class RuntimesApiTests(StackFixture stack)
{
    [Fact]
    public async Task Runtimes_are_the_versions_the_interpreters_print()
    {
        var python = await InstalledRuntimes.PythonAsync();
        var node = await InstalledRuntimes.NodeAsync();

        var runtimes = await GetRuntimesAsync();

        Assert.Equal(["python", "javascript"], runtimes.Select(r => r.Language));
        var py = runtimes[0];
        var js = runtimes[1];
        Assert.Equal(python, py.Version);
        Assert.Equal(node, js.Version);
        Assert.Equal(".py", py.Extension);
        Assert.Equal(".js", js.Extension);
        Assert.Contains("py", py.Aliases);
        Assert.Contains("node", js.Aliases);
        Assert.Equal("/usr/bin/python3", py.Interpreter);
        Assert.Equal("/usr/bin/node", js.Interpreter);
    }

    [Fact]
    public async Task The_sandbox_writes_one_hash_field_per_language()
    {
        await InstalledRuntimes.WaitUntilPublishedAsync(stack);

        var stored = await stack.Redis.Db.HashGetAsync(RedisKeys.Runtimes, "python");
        var runtime = JsonSerializer.Deserialize<RuntimeInfo>(stored.ToString(), CodifyJson.Options)!;

        Assert.Equal(await InstalledRuntimes.PythonAsync(), runtime.Version);
        Assert.Equal("python", runtime.Language);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("latest")]
    [InlineData("3")]
    [InlineData("3.x")]
    public async Task A_matching_version_runs(string version)
    {
        await InstalledRuntimes.WaitUntilPublishedAsync(stack);

        var record = await stack.ExecuteAndWaitAsync(new { language = "python", code = "print('v')", version });

        Assert.Equal(ExecutionStatus.Completed, record.Status);
        Assert.Equal("v\n", record.Stdout);
    }

    [Fact]
    public async Task The_exact_installed_version_and_its_minor_prefix_run()
    {
        await InstalledRuntimes.WaitUntilPublishedAsync(stack);
        var node = await InstalledRuntimes.NodeAsync();
        var minor = string.Join('.', node.Split('.')[..2]);

        var exact = await stack.ExecuteAndWaitAsync(new { language = "js", code = "console.log(1)", version = node });
        var prefix = await stack.ExecuteAndWaitAsync(new { language = "js", code = "console.log(2)", version = minor });

        Assert.Equal(ExecutionStatus.Completed, exact.Status);
        Assert.Equal(ExecutionStatus.Completed, prefix.Status);
    }

    [Theory]
    [InlineData("2.7")]
    [InlineData("3.1")] // a prefix matches whole components only: 3.1 is not 3.11
    [InlineData("4")]
    public async Task A_version_that_is_not_installed_is_a_400_naming_version_and_the_available_one(string version)
    {
        await InstalledRuntimes.WaitUntilPublishedAsync(stack);
        var python = await InstalledRuntimes.PythonAsync();
        var queuedBefore = (await stack.Redis.Db.StreamInfoAsync(RedisKeys.JobStream)).EntriesAdded;

        using var response = await stack.Client.PostAsJsonAsync("/api/execute?wait=true", new { language = "python", code = "print(1)", version });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = problem.RootElement.GetProperty("errors").GetProperty("version")[0].GetString();
        Assert.Contains(python, message, StringComparison.Ordinal);
        Assert.Equal(python, problem.RootElement.GetProperty("available")[0].GetString());
        Assert.Equal(queuedBefore, (await stack.Redis.Db.StreamInfoAsync(RedisKeys.JobStream)).EntriesAdded);
    }

    private async Task<List<RuntimeInfo>> GetRuntimesAsync()
    {
        // The Sandbox publishes at start-up, in parallel with its first heartbeat: wait for it, never assume it.
        var body = await Eventually.ReturnsAsync(
            async () =>
            {
                using var response = await stack.Client.GetAsync("/api/runtimes");
                return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
            },
            b => b is not null, TimeSpan.FromSeconds(30), "GET /api/runtimes to answer 200");
        return JsonSerializer.Deserialize<List<RuntimeInfo>>(body!, CodifyJson.Options)!;
    }
}
