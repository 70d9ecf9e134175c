using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;
using static Codify.Tests.Streaming.EventStreamClient;

namespace Codify.Tests.Streaming;

/// <summary><c>GET /api/execute/{id}/events</c> over real HTTP, with real Redis and the real Sandbox.</summary>
[Collection(StackGroup.Name)]
[ApiTier]
public sealed class ExecutionEventsTests(StackFixture stack)
{
    private const string SlowLines = "import time\nfor i in range(4):\n    print(f'line {i}')\n    time.sleep(0.5)";

    [Fact]
    public async Task Output_arrives_as_several_stdout_events_while_the_program_still_runs()
    {
        var id = await StartAsync(stack.Client, SlowLines);
        ExecutionStatus? statusAtFirstChunk = null;

        var events = await ReadAllAsync(stack.Client, id, onEvent: async e =>
        {
            if (e.Event.Type == ExecutionEventType.Stdout && statusAtFirstChunk is null)
            {
                statusAtFirstChunk = (await stack.Client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{id}", CodifyJson.Options))!.Status;
            }
        });

        Assert.Equal(ExecutionStatus.Running, statusAtFirstChunk);
        Assert.Equal(["queued", "started"], events.Take(2).Select(e => e.Type));
        Assert.Equal("completed", events[^1].Type);
        Assert.True(events.Count(e => e.Type == "stdout") >= 2, $"output came as {events.Count(e => e.Type == "stdout")} chunk(s)");
        Assert.Equal(["stdout:line 0", "stdout:line 1", "stdout:line 2", "stdout:line 3"], OutputLines(events));
        Assert.Equal(ExecutionStatus.Completed, events[^1].Event.Record?.Status);
        Assert.Equal("line 0\nline 1\nline 2\nline 3\n", events[^1].Event.Record?.Stdout);
        AssertSequencesOneToN(events);
    }

    [Fact]
    public async Task Interleaved_stdout_and_stderr_keep_their_relative_order()
    {
        const string code = "import sys, time\nfor i in range(3):\n    print(f'o{i}')\n    time.sleep(0.2)\n"
            + "    print(f'e{i}', file=sys.stderr)\n    time.sleep(0.2)";
        var id = await StartAsync(stack.Client, code);

        var events = await ReadAllAsync(stack.Client, id);

        Assert.Equal(["stdout:o0", "stderr:e0", "stdout:o1", "stderr:e1", "stdout:o2", "stderr:e2"], OutputLines(events));
        AssertSequencesOneToN(events);
    }

    [Fact]
    public async Task A_subscriber_after_the_end_gets_the_full_replay_ending_in_completed()
    {
        var record = await stack.ExecuteAndWaitAsync(new { code = "import sys\nprint('out')\nprint('err', file=sys.stderr)", language = "python" });

        var events = await ReadAllAsync(stack.Client, record.Id);

        Assert.Equal("queued", events[0].Type);
        Assert.Equal("started", events[1].Type);
        Assert.Contains("stdout:out", OutputLines(events));
        Assert.Contains("stderr:err", OutputLines(events));
        Assert.Equal("completed", events[^1].Type);
        Assert.Equal(record.Id, events[^1].Event.Record?.Id);
        Assert.Equal("out\n", events[^1].Event.Record?.Stdout);
        AssertSequencesOneToN(events);
    }

    [Fact]
    public async Task Last_event_id_resumes_after_that_sequence_without_duplicates()
    {
        var record = await stack.ExecuteAndWaitAsync(new { code = "print('a')\nprint('b')", language = "python" });
        var all = await ReadAllAsync(stack.Client, record.Id);

        var resumed = await ReadAllAsync(stack.Client, record.Id, lastEventId: "2");

        Assert.Equal(all.Skip(2).Select(e => e.Id), resumed.Select(e => e.Id));
        Assert.Equal("completed", resumed[^1].Type);
    }

    [Fact]
    public async Task Last_event_id_past_the_end_of_an_ended_execution_ends_the_stream_at_once()
    {
        var record = await stack.ExecuteAndWaitAsync(new { code = "print('a')", language = "python" });
        var all = await ReadAllAsync(stack.Client, record.Id);

        var resumed = await ReadAllAsync(stack.Client, record.Id, lastEventId: all[^1].Id);

        Assert.Empty(resumed);
    }

    [Fact]
    public async Task A_cancelled_queued_execution_logs_its_completed_event()
    {
        var id = await StartAsync(stack.Client, "print(1)");
        using var cancel = await stack.Client.DeleteAsync($"/api/execute/{id}");
        var status = (await stack.Client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{id}", CodifyJson.Options))!.Status;

        var events = await ReadAllAsync(stack.Client, id);

        Assert.Equal("completed", events[^1].Type);
        Assert.Equal(status, events[^1].Event.Record?.Status);
        AssertSequencesOneToN(events);
    }

    [Fact]
    public async Task Unknown_execution_is_a_404_problem()
    {
        using var response = await stack.Client.GetAsync($"/api/execute/{Guid.NewGuid():N}/events");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static void AssertSequencesOneToN(List<Received> events)
    {
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Event.Sequence));
        Assert.Equal(events.Select(e => e.Event.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)), events.Select(e => e.Id));
    }
}
