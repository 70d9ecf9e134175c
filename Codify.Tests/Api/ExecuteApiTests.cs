using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Api;

/// <summary>The API over real HTTP, with real Redis and the real Sandbox running real bubblewrap.</summary>
[Collection(StackGroup.Name)]
[ApiTier]
public sealed class ExecuteApiTests(StackFixture stack)
{
    [Fact]
    public async Task Seed_python_example_with_wait_returns_the_final_result()
    {
        var record = await stack.ExecuteAndWaitAsync(new { code = "print(\"Hello, World!\")", language = "python", timeout = 10 });

        Assert.Equal(ExecutionStatus.Completed, record.Status);
        Assert.Equal("Hello, World!\n", record.Stdout);
        Assert.Equal(0, record.ExitCode);
        Assert.NotNull(record.WallTimeMs);
        Assert.NotNull(record.CompletedAt);
    }

    [Fact]
    public async Task Seed_javascript_example_with_wait_returns_the_final_result()
    {
        var record = await stack.ExecuteAndWaitAsync(new { code = "console.log(\"Hello, World!\");", language = "javascript", timeout = 10 });

        Assert.Equal(ExecutionStatus.Completed, record.Status);
        Assert.Equal("Hello, World!\n", record.Stdout);
        Assert.Equal(0, record.ExitCode);
    }

    [Fact]
    public async Task Post_without_wait_answers_202_with_location_and_the_record_ends_completed()
    {
        using var response = await stack.Client.PostAsJsonAsync("/api/execute", new { code = "print(6 * 7)", language = "py" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options);
        Assert.Equal($"/api/execute/{accepted!.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal(ExecutionStatus.Queued, accepted.Status);

        var final = await Eventually.ReturnsAsync(
            () => stack.Client.GetFromJsonAsync<ExecutionRecord>(response.Headers.Location, CodifyJson.Options),
            r => r!.Status.IsTerminal(), TimeSpan.FromSeconds(30), "the execution to end");

        Assert.Equal(ExecutionStatus.Completed, final!.Status);
        Assert.Equal("42\n", final.Stdout);
        Assert.NotNull(final.StartedAt);
        Assert.NotNull(final.QueueWaitMs);
    }

    [Fact]
    public async Task The_job_travels_through_the_stream_and_the_result_is_stored_in_redis()
    {
        var record = await stack.ExecuteAndWaitAsync(new { code = "print('stored')", language = "python" });

        var stored = await stack.Redis.Db.HashGetAllAsync(RedisKeys.Execution(record.Id));
        var fields = stored.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        Assert.Equal("completed", fields[ExecutionFields.Status]);
        Assert.Contains("stored", fields[ExecutionFields.Result], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(fields[ExecutionFields.Worker]));
        var ttl = await stack.Redis.Db.KeyTimeToLiveAsync(RedisKeys.Execution(record.Id));
        Assert.NotNull(ttl);
        var groups = await stack.Redis.Db.StreamGroupInfoAsync(RedisKeys.JobStream);
        Assert.Contains(groups, g => g.Name == RedisKeys.SandboxGroup);
    }

    [Fact]
    public async Task Runtime_error_and_timeout_come_back_as_final_statuses()
    {
        var failed = await stack.ExecuteAndWaitAsync(new { code = "throw new Error('nope')", language = "js" });
        var slow = await stack.ExecuteAndWaitAsync(new { code = "import time\ntime.sleep(30)", language = "python", timeout = 1 });

        Assert.Equal(ExecutionStatus.RuntimeError, failed.Status);
        Assert.Contains("nope", failed.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.TimeLimitExceeded, slow.Status);
        Assert.Equal("wall", slow.LimitExceeded);
    }

    [Fact]
    public async Task Expected_output_and_limits_travel_from_the_request_to_the_sandbox()
    {
        var accepted = await stack.ExecuteAndWaitAsync(new { code = "print(input()[::-1])", language = "python", stdin = "abc\n", expectedOutput = "cba" });
        var wrong = await stack.ExecuteAndWaitAsync(new { code = "console.log('no')", language = "js", expectedOutput = "yes" });
        var cpu = await stack.ExecuteAndWaitAsync(new { code = "while True: pass", language = "python", limits = new { cpu = 0.5, wall = 10 } });

        Assert.Equal(ExecutionStatus.Accepted, accepted.Status);
        Assert.Equal(ExecutionStatus.WrongAnswer, wrong.Status);
        Assert.Equal(ExecutionStatus.TimeLimitExceeded, cpu.Status);
        Assert.Equal("cpu", cpu.LimitExceeded);
        Assert.InRange(cpu.CpuTimeMs!.Value, 500, 5000);
    }

    [Fact]
    public async Task Files_and_args_reach_the_program()
    {
        var record = await stack.ExecuteAndWaitAsync(new
        {
            language = "python",
            files = new[] { new { name = "main.py", content = "import sys, util\nprint(util.greet(sys.argv[1]))" }, new { name = "util.py", content = "def greet(n):\n    return 'hi ' + n" } },
            args = (string[])["there"],
        });

        Assert.Equal(ExecutionStatus.Completed, record.Status);
        Assert.Equal("hi there\n", record.Stdout);
    }

    [Fact]
    public async Task Unknown_id_is_a_404_problem()
    {
        using var response = await stack.Client.GetAsync("/api/execute/does-not-exist");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("""{"code":"print(1)","language":"cobol"}""", "language")]
    [InlineData("""{"code":"","language":"python"}""", "code")]
    [InlineData("""{"code":"print(1)","language":"python","timeout":3600}""", "timeout")]
    public async Task Invalid_requests_are_400_problems_naming_the_field(string body, string field)
    {
        using var response = await PostRawAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"code":5,"language":"python"}""")]
    [InlineData("""{"code":"x","language":"python","timeout":"ten"}""")]
    public async Task Malformed_json_or_wrong_types_are_400_problems_not_500(string body)
    {
        using var response = await PostRawAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    private Task<HttpResponseMessage> PostRawAsync(string body) =>
        stack.Client.PostAsync("/api/execute", new StringContent(body, Encoding.UTF8, "application/json"));
}
