using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;
using Codify.Tests.Streaming;

namespace Codify.Tests.Interactive;

/// <summary>Interactive programs: standard input sent while they run, through the real API, Redis and sandbox.</summary>
[Collection(StackGroup.Name)]
[ApiTier]
public sealed class InteractiveStdinTests(StackFixture stack)
{
    private const string PythonConversation = """
        name = input()
        print(f"hello {name}")
        age = input()
        print(f"{name} is {age}")
        """;

    private const string NodeConversation = """
        const rl = require('readline').createInterface({ input: process.stdin });
        const answers = [];
        rl.on('line', line => {
          answers.push(line);
          console.log(answers.length === 1 ? `hello ${line}` : `${answers[0]} is ${line}`);
          if (answers.length === 2) rl.close();
        });
        """;

    [Theory]
    [InlineData("python", PythonConversation)]
    [InlineData("javascript", NodeConversation)]
    public async Task Program_answers_each_line_before_the_next_is_sent(string language, string code)
    {
        var id = await CreateAsync(new { code, language, interactive = true, timeout = 20 });
        var sentSecondAfterSequence = 0L;
        var events = await EventStreamClient.ReadAllAsync(stack.Client, id, onEvent: async e =>
        {
            if (e.Event.Type == ExecutionEventType.Started)
            {
                await SendAsync(id, new { data = "ada\n" }, HttpStatusCode.Accepted);
            }
            else if (e.Event.Type == ExecutionEventType.Stdout && e.Event.Data!.Contains("hello ada", StringComparison.Ordinal)
                && sentSecondAfterSequence == 0)
            {
                // The second line exists only once the first answer arrived: the program really answered line by line.
                sentSecondAfterSequence = e.Event.Sequence;
                await SendAsync(id, new { data = "36\n", eof = true }, HttpStatusCode.Accepted);
            }
        });

        Assert.True(sentSecondAfterSequence > 0, "the first answer never arrived");
        var completed = events[^1].Event;
        Assert.Equal(ExecutionEventType.Completed, completed.Type);
        Assert.Equal(ExecutionStatus.Completed, completed.Record!.Status);
        Assert.Equal("hello ada\nada is 36\n", completed.Record.Stdout);
        var secondAnswer = events.First(e => e.Event.Data?.Contains("ada is 36", StringComparison.Ordinal) == true);
        Assert.True(secondAnswer.Event.Sequence > sentSecondAfterSequence);
    }

    [Fact]
    public async Task Chunks_sent_at_once_arrive_in_order_after_the_initial_stdin_and_eof_ends_input()
    {
        var id = await CreateAsync(new
        {
            code = "import sys\nprint(repr(sys.stdin.read()))",
            language = "python",
            stdin = "0\n",
            interactive = true,
        });
        foreach (var chunk in new[] { "1\n", "2\n", "3" })
        {
            await SendAsync(id, new { data = chunk }, HttpStatusCode.Accepted);
        }

        await SendAsync(id, new { eof = true }, HttpStatusCode.Accepted);
        var record = await WaitAsync(id);
        Assert.Equal(ExecutionStatus.Completed, record.Status);
        Assert.Equal("'0\\n1\\n2\\n3'\n", record.Stdout);
        var closed = await SendAsync(id, new { data = "late" }, HttpStatusCode.Conflict);
        Assert.Contains("ended", closed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Input_after_eof_is_refused_while_the_program_still_runs()
    {
        var id = await CreateAsync(new { code = "import sys, time\nsys.stdin.read()\ntime.sleep(30)", language = "python", interactive = true, timeout = 30 });
        await SendAsync(id, new { data = "x", eof = true }, HttpStatusCode.Accepted);
        var problem = await SendAsync(id, new { data = "y" }, HttpStatusCode.Conflict);
        Assert.Contains("already closed", problem, StringComparison.Ordinal);
        using var cancel = await stack.Client.DeleteAsync($"/api/execute/{id}");
    }

    [Fact]
    public async Task Stdin_for_a_non_interactive_or_unknown_execution_or_without_data_is_a_clear_problem()
    {
        var plain = await CreateAsync(new { code = "import time\ntime.sleep(30)", language = "python", timeout = 30 });
        Assert.Contains("interactive", await SendAsync(plain, new { data = "x" }, HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Contains("No execution", await SendAsync("nope", new { data = "x" }, HttpStatusCode.NotFound), StringComparison.Ordinal);
        Assert.Contains("\"data\"", await SendAsync(plain, new { eof = false }, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        using var malformed = await stack.Client.PostAsync($"/api/execute/{plain}/stdin",
            new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        using var cancel = await stack.Client.DeleteAsync($"/api/execute/{plain}");
    }

    [Fact]
    public async Task The_stdin_budget_holds_across_chunks_and_names_the_limit()
    {
        await using var api = new ApiFactory(stack.Redis.ConnectionString, new Dictionary<string, string?> { ["Executions:StdinSizeLimit"] = "10" });
        using var client = api.CreateClient();
        using var created = await client.PostAsJsonAsync("/api/execute",
            new { code = "import sys\nprint(len(sys.stdin.read()))", language = "python", interactive = true });
        var id = (await created.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!.Id;

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/execute/{id}/stdin", new { data = "123456" })).StatusCode);
        using var over = await client.PostAsJsonAsync($"/api/execute/{id}/stdin", new { data = "12345" });
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        Assert.Contains("StdinSizeLimit", await over.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/execute/{id}/stdin", new { data = "1234", eof = true })).StatusCode);

        var record = await Eventually.ReturnsAsync(() => client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{id}", CodifyJson.Options),
            r => r!.Status.IsTerminal(), TimeSpan.FromSeconds(30), "the run to end");
        Assert.Equal("10\n", record!.Stdout);
    }

    [Fact]
    public async Task Stdin_does_not_spend_the_execution_rate_limit()
    {
        // Its own API key: its own rate-limit bucket, whatever the other tests of this Redis spent.
        var key = $"stdin-{Guid.NewGuid():N}";
        await using var api = new ApiFactory(stack.Redis.ConnectionString,
            new Dictionary<string, string?> { ["RATE_LIMIT_POINTS"] = "1", ["API_KEYS"] = key });
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        using var created = await client.PostAsJsonAsync("/api/execute",
            new { code = "import sys\nprint(len(sys.stdin.read()))", language = "python", interactive = true });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!.Id;

        for (var i = 0; i < 3; i++)
        {
            using var sent = await client.PostAsJsonAsync($"/api/execute/{id}/stdin", new { data = "ab", eof = i == 2 });
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        }

        using var refused = await client.PostAsJsonAsync("/api/execute", new { code = "print(1)", language = "python" });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }

    private async Task<string> CreateAsync(object body)
    {
        using var response = await stack.Client.PostAsJsonAsync("/api/execute", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!.Id;
    }

    private async Task<string> SendAsync(string id, object body, HttpStatusCode expected)
    {
        using var response = await stack.Client.PostAsJsonAsync($"/api/execute/{id}/stdin", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {response.StatusCode}: {text}");
        return text;
    }

    private async Task<ExecutionRecord> WaitAsync(string id) =>
        (await Eventually.ReturnsAsync(() => stack.Client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{id}", CodifyJson.Options),
            r => r!.Status.IsTerminal(), TimeSpan.FromSeconds(30), "the run to end"))!;
}
