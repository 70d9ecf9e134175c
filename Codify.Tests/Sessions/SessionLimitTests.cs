using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.Contracts.Sessions;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Sessions;

/// <summary>
/// A cell past its time or memory ends with the right status; the session goes on when the interpreter could stop the
/// cell, and ends (saying so, leaving nothing) when it had to be killed. One cell at a time; a per-client cap.
/// </summary>
[ApiTier]
[Collection(SessionGroup.Name)]
public sealed class SessionLimitTests(SessionsFixture stack)
{
    [Fact]
    public async Task A_cell_past_its_time_limit_is_interrupted_and_the_session_goes_on()
    {
        var session = await stack.CreateAsync();
        await stack.RunAsync(session.Id, "x = 1");

        // Longer than the replica's reclaim idle time (3 s in tests): a long cell is never taken for a lost one.
        var looping = await stack.RunAsync(session.Id, "while True:\n    pass", timeout: 4);
        Assert.Equal(ExecutionStatus.TimeLimitExceeded, looping.Status);
        Assert.Contains("KeyboardInterrupt", looping.Stderr, StringComparison.Ordinal);
        Assert.Null(looping.SessionEnded);

        Assert.Equal("2", Assert.Single((await stack.RunAsync(session.Id, "x + 1")).Outputs!).Data);
        await stack.CloseAsync(session.Id);
    }

    [Fact]
    public async Task A_cell_that_will_not_stop_ends_the_session_saying_so_and_leaves_nothing()
    {
        var session = await stack.CreateAsync();
        var stubborn = await stack.RunAsync(session.Id, "import time\nwhile True:\n    try:\n        time.sleep(60)\n    except KeyboardInterrupt:\n        pass", timeout: 1);
        Assert.Equal(ExecutionStatus.TimeLimitExceeded, stubborn.Status);
        Assert.NotNull(stubborn.SessionEnded);
        Assert.Contains("the session ended", stubborn.Message, StringComparison.Ordinal);

        var ended = await stack.GetAsync(session.Id);
        Assert.Equal(SessionStatus.Ended, ended.Status);
        Assert.Equal(stubborn.SessionEnded, ended.EndReason);
        await Eventually.ReturnsAsync(() => Task.FromResult(SessionLeftovers.All(stack.Sandbox.Services, session.Id)),
            left => left.Count == 0, TimeSpan.FromSeconds(10), "the killed session's processes, cgroup and folder to be removed");
    }

    [Fact]
    public async Task A_memory_error_ends_the_cell_only_and_an_oom_kill_ends_the_session()
    {
        var session = await stack.CreateAsync(limits: new { memory = 128L << 20 });
        await stack.RunAsync(session.Id, "kept = 'still here'");

        var refused = await stack.RunAsync(session.Id, "big = bytearray(1 << 40)");
        Assert.Equal(ExecutionStatus.MemoryLimitExceeded, refused.Status);
        Assert.Null(refused.SessionEnded);
        Assert.Equal("'still here'", Assert.Single((await stack.RunAsync(session.Id, "kept")).Outputs!).Data);

        var killed = await stack.RunAsync(session.Id, "filled = b'x' * (400 << 20)");
        Assert.Equal(ExecutionStatus.MemoryLimitExceeded, killed.Status);
        Assert.NotNull(killed.SessionEnded);
        Assert.Equal(SessionStatus.Ended, (await stack.GetAsync(session.Id)).Status);
    }

    [Fact]
    public async Task Cancelling_a_cell_by_its_execution_id_interrupts_it_and_the_session_goes_on()
    {
        var session = await stack.CreateAsync();
        await stack.RunAsync(session.Id, "kept = 5");
        // "Running" is the replica's word: the cancel may reach the kernel before it has begun the cell, which stops it all the same.
        using var queued = await stack.Client.PostAsJsonAsync($"/api/sessions/{session.Id}/execute?wait=false", new { code = "import time\ntime.sleep(60)" });
        var cell = (await queued.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!;
        await Eventually.ReturnsAsync(() => stack.Client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{cell.Id}", CodifyJson.Options),
            r => r!.Status == ExecutionStatus.Running, TimeSpan.FromSeconds(30), "the cell to run");

        using var cancel = await stack.Client.DeleteAsync($"/api/execute/{cell.Id}");
        var cancelled = await Eventually.ReturnsAsync(() => stack.Client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{cell.Id}", CodifyJson.Options),
            r => r!.Status.IsTerminal(), TimeSpan.FromSeconds(30), "the cell to end");
        Assert.Equal(ExecutionStatus.Cancelled, cancelled!.Status);
        Assert.Null(cancelled.SessionEnded);

        await Eventually.ReturnsAsync(async () => (string?)await stack.Redis.Db.HashGetAsync(RedisKeys.Session(session.Id), SessionFields.Cell),
            holder => holder is null, TimeSpan.FromSeconds(10), "the session to be free again");
        Assert.Equal("6", Assert.Single((await stack.RunAsync(session.Id, "kept + 1")).Outputs!).Data);
        await stack.CloseAsync(session.Id);
    }

    [Fact]
    public async Task A_second_cell_while_one_runs_gets_409_busy()
    {
        var session = await stack.CreateAsync();
        var slow = stack.RunAsync(session.Id, "import time\ntime.sleep(2)\n'slept'");
        await Eventually.ReturnsAsync(async () => (string?)await stack.Redis.Db.HashGetAsync(RedisKeys.Session(session.Id), SessionFields.Cell),
            cell => cell is not null, TimeSpan.FromSeconds(10), "the first cell to hold the session");

        using var second = await stack.Client.PostAsJsonAsync($"/api/sessions/{session.Id}/execute", new { code = "1" });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("\"reason\":\"busy\"", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var upload = await stack.Client.PutAsync($"/api/sessions/{session.Id}/files/x.txt", new ByteArrayContent([1]));
        Assert.Equal(HttpStatusCode.Conflict, upload.StatusCode);

        Assert.Equal("'slept'", Assert.Single((await slow).Outputs!).Data);
        Assert.Equal("2", Assert.Single((await stack.RunAsync(session.Id, "1 + 1")).Outputs!).Data);
        await stack.CloseAsync(session.Id);
    }

    [Fact]
    public async Task A_client_holds_at_most_its_cap_of_open_sessions()
    {
        var open = new List<SessionInfo>();
        for (var i = 0; i < SessionsFixture.MaxSessionsPerClient; i++)
        {
            open.Add(await stack.CreateAsync());
        }

        using var refused = await stack.Client.PostAsJsonAsync("/api/sessions", new { language = "python" });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Sessions:MaxSessionsPerClient", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await stack.CloseAsync(open[0].Id);
        open[0] = await stack.CreateAsync();
        foreach (var session in open)
        {
            await stack.CloseAsync(session.Id);
        }
    }
}
