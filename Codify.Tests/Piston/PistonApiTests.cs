using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Piston;

/// <summary>Piston's v2 API over real HTTP: the same queue and real Sandbox, Piston's request and response shapes.</summary>
[Collection(StackGroup.Name)]
[ApiTier]
public sealed class PistonApiTests(StackFixture stack)
{
    [Fact]
    public async Task Python_hello_world_answers_in_pistons_shape()
    {
        var python = await InstalledRuntimes.PythonAsync();

        using var body = await ExecuteAsync(new { language = "python", version = "3", files = new[] { new { content = "print('Hello, World!')" } } });

        var root = body.RootElement;
        Assert.Equal("python", root.GetProperty("language").GetString());
        Assert.Equal(python, root.GetProperty("version").GetString());
        var run = root.GetProperty("run");
        Assert.Equal("Hello, World!\n", run.GetProperty("stdout").GetString());
        Assert.Equal("", run.GetProperty("stderr").GetString());
        Assert.Equal("Hello, World!\n", run.GetProperty("output").GetString());
        Assert.Equal(0, run.GetProperty("code").GetInt32());
        // Piston sends these as explicit nulls on success.
        Assert.Equal(JsonValueKind.Null, run.GetProperty("signal").ValueKind);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("status").ValueKind);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("message").ValueKind);
        Assert.True(run.GetProperty("wall_time").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Number, run.GetProperty("cpu_time").ValueKind);
        Assert.True(run.GetProperty("memory").GetInt64() > 0);
        Assert.False(root.TryGetProperty("compile", out _));
    }

    [Fact]
    public async Task Javascript_hello_world_by_alias_reports_the_canonical_language_and_node_version()
    {
        var node = await InstalledRuntimes.NodeAsync();

        using var body = await ExecuteAsync(new { language = "js", version = "*", files = new[] { new { name = "hello.js", content = "console.log('Hello, World!')" } } });

        Assert.Equal("javascript", body.RootElement.GetProperty("language").GetString());
        Assert.Equal(node, body.RootElement.GetProperty("version").GetString());
        Assert.Equal("Hello, World!\n", body.RootElement.GetProperty("run").GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task Stdin_and_args_reach_the_program_and_output_is_stdout_then_stderr()
    {
        using var body = await ExecuteAsync(new
        {
            language = "python",
            version = "3.x",
            files = new[] { new { content = "import sys\nprint(input(), sys.argv[1:])\nprint('oops', file=sys.stderr)\nsys.exit(3)" } },
            stdin = "from stdin\n",
            args = (string[])["a", "b c"],
        });

        var run = body.RootElement.GetProperty("run");
        Assert.Equal("from stdin ['a', 'b c']\n", run.GetProperty("stdout").GetString());
        Assert.Equal("oops\n", run.GetProperty("stderr").GetString());
        Assert.Equal("from stdin ['a', 'b c']\noops\n", run.GetProperty("output").GetString());
        Assert.Equal(3, run.GetProperty("code").GetInt32());
        Assert.Equal("RE", run.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_first_file_is_the_entry_point_and_imports_the_others()
    {
        using var body = await ExecuteAsync(new
        {
            language = "javascript",
            version = "*",
            files = new object[]
            {
                new { name = "app.js", content = "const u = require('./util.js'); console.log(u.twice(21), require('path').basename(__filename));" },
                new { name = "util.js", content = "exports.twice = n => n * 2;" },
                new { name = "unused.js", content = "console.log('never runs')" },
            },
        });

        Assert.Equal("42 app.js\n", body.RootElement.GetProperty("run").GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task Unnamed_and_base64_files_get_default_names_and_are_decoded()
    {
        var helper = Convert.ToBase64String(Encoding.UTF8.GetBytes("def hi():\n    return 'hi from file1'\n"));

        using var body = await ExecuteAsync(new
        {
            language = "python",
            version = "3",
            files = new object[] { new { content = "import os, file1\nprint(file1.hi(), sorted(f for f in os.listdir('.') if f.endswith('.py')))" }, new { content = helper, encoding = "base64" } },
        });

        Assert.Equal("hi from file1 ['file1.py', 'main.py']\n", body.RootElement.GetProperty("run").GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task Run_timeout_in_ms_ends_as_TO_with_SIGKILL()
    {
        using var body = await ExecuteAsync(new { language = "python", version = "3", files = new[] { new { content = "while True: pass" } }, run_timeout = 700 });

        var run = body.RootElement.GetProperty("run");
        Assert.Equal("TO", run.GetProperty("status").GetString());
        Assert.Equal("SIGKILL", run.GetProperty("signal").GetString());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("code").ValueKind);
        Assert.StartsWith("Time limit exceeded", run.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.InRange(run.GetProperty("wall_time").GetInt64(), 700, 10_000);
        var spec = await LatestSpecAsync();
        Assert.Equal(700, spec.Limits.WallTimeMs);
    }

    [Fact]
    public async Task Minus_one_means_the_server_defaults_and_given_limits_are_applied()
    {
        using var defaults = await ExecuteAsync(new
        {
            language = "python",
            version = "3",
            files = new[] { new { content = "print(1)" } },
            compile_timeout = 10000,
            run_timeout = -1,
            compile_memory_limit = -1,
            run_memory_limit = -1,
        });
        var defaultSpec = await LatestSpecAsync();
        using var given = await ExecuteAsync(new
        {
            language = "python",
            version = "3",
            files = new[] { new { content = "print(2)" } },
            run_timeout = 2500,
            run_cpu_time = 1500,
            run_memory_limit = 64L << 20,
        });
        var givenSpec = await LatestSpecAsync();

        Assert.Equal("1\n", defaults.RootElement.GetProperty("run").GetProperty("stdout").GetString());
        Assert.Equal(10_000, defaultSpec.Limits.WallTimeMs); // Executions:DefaultTimeout
        Assert.Equal(256L << 20, defaultSpec.Limits.MemoryBytes); // Limits:DefaultMemoryBytes
        Assert.Equal(5_000, defaultSpec.Limits.CpuTimeMs); // Limits:DefaultCpuSeconds
        Assert.Equal("2\n", given.RootElement.GetProperty("run").GetProperty("stdout").GetString());
        Assert.Equal(2_500, givenSpec.Limits.WallTimeMs);
        Assert.Equal(1_500, givenSpec.Limits.CpuTimeMs);
        Assert.Equal(64L << 20, givenSpec.Limits.MemoryBytes);
    }

    [Fact]
    public async Task A_fatal_signal_is_SG_with_the_signal_name_and_no_code()
    {
        using var body = await ExecuteAsync(new { language = "python", version = "3", files = new[] { new { content = "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)" } } });

        var run = body.RootElement.GetProperty("run");
        Assert.Equal("SG", run.GetProperty("status").GetString());
        Assert.Equal("SIGSEGV", run.GetProperty("signal").GetString());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("code").ValueKind);
    }

    [Fact]
    public async Task Runtimes_have_pistons_shape()
    {
        await InstalledRuntimes.WaitUntilPublishedAsync(stack);

        using var response = await stack.Client.GetAsync("/api/v2/runtimes");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var runtimes = body.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("language").GetString()!);
        Assert.Equal(["python", "javascript"], runtimes.Keys);
        Assert.Equal(await InstalledRuntimes.PythonAsync(), runtimes["python"].GetProperty("version").GetString());
        Assert.Equal(await InstalledRuntimes.NodeAsync(), runtimes["javascript"].GetProperty("version").GetString());
        Assert.Contains("js", runtimes["javascript"].GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("node", runtimes["javascript"].GetProperty("runtime").GetString());
        Assert.False(runtimes["python"].TryGetProperty("runtime", out _));
    }

    private async Task<JsonDocument> ExecuteAsync(object request)
    {
        await InstalledRuntimes.WaitUntilPublishedAsync(stack);
        using var response = await stack.Client.PostAsJsonAsync("/api/v2/execute", request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text);
    }

    /// <summary>The spec of the newest execution (ids are time-ordered; the tests of this collection run one at a time).</summary>
    private async Task<ExecutionSpec> LatestSpecAsync()
    {
        var server = stack.Redis.Connection.GetServers()[0];
        var newest = (await server.KeysAsync(pattern: RedisKeys.Execution("*")).ToListAsync()).Max(k => k.ToString());
        var spec = await stack.Redis.Db.HashGetAsync(newest, ExecutionFields.Spec);
        return JsonSerializer.Deserialize<ExecutionSpec>(spec.ToString(), CodifyJson.Options)!;
    }
}
