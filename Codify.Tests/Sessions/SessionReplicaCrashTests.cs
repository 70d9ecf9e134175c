using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.Contracts.Sessions;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Sessions;

/// <summary>A session lives on one replica: when that replica dies, the session and its cell end saying so, and nothing of it stays.</summary>
[ApiTier]
public sealed class SessionReplicaCrashTests
{
    [Fact]
    public async Task A_dead_replica_ends_its_sessions_and_their_cells_with_a_clear_reason_and_leaves_nothing()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var doomed = await StartReplicaAsync(redis);
        await using var api = new ApiFactory(redis.ConnectionString, new Dictionary<string, string?> { ["Executions:SandboxHeartbeatTimeoutSeconds"] = "3" });
        using var client = api.CreateClient();
        var (session, cell) = await StartLongCellAsync(client);
        Assert.NotEmpty(SessionLeftovers.Processes(session.Id));

        await doomed.KillAsync();

        var ended = await Eventually.ReturnsAsync(() => client.GetFromJsonAsync<SessionInfo>($"/api/sessions/{session.Id}", CodifyJson.Options),
            s => s!.Status == SessionStatus.Ended, TimeSpan.FromSeconds(30), "the session to end with its replica");
        Assert.Equal(SessionEndReasons.ReplicaLost, ended!.EndReason);
        var lost = await client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{cell.Id}", CodifyJson.Options);
        Assert.Equal(ExecutionStatus.InternalError, lost!.Status);
        Assert.Equal(SessionEndReasons.ReplicaLost, lost.SessionEnded);
        using var next = await client.PostAsJsonAsync($"/api/sessions/{session.Id}/execute", new { code = "1" });
        Assert.Equal(HttpStatusCode.Conflict, next.StatusCode);

        // The kernel died with its replica (bwrap's die-with-parent); the next replica's start removes the dead life's cgroup and folder.
        Assert.Empty(SessionLeftovers.Processes(session.Id));
        await using var successor = new SandboxFactory(redis.ConnectionString);
        _ = successor.Server;
        await Eventually.ReturnsAsync(() => Task.FromResult(SessionLeftovers.All(successor.Services, session.Id)),
            left => left.Count == 0, TimeSpan.FromSeconds(30), "the dead replica's session cgroup and folder to be removed");
    }

    [Fact]
    public async Task A_dead_replicas_sessions_end_without_being_touched_so_their_cells_end_and_the_client_may_open_sessions_again()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var doomed = await StartReplicaAsync(redis);
        await using var api = new ApiFactory(redis.ConnectionString, new Dictionary<string, string?>
        {
            ["Executions:SandboxHeartbeatTimeoutSeconds"] = "3",
            ["Sessions:SweepIntervalSeconds"] = "1",
            ["Sessions:MaxSessionsPerClient"] = "1",
        });
        using var client = api.CreateClient();
        var (session, cell) = await StartLongCellAsync(client);
        using (var second = await client.PostAsJsonAsync("/api/sessions", new { language = "python" }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        }

        var replica = (string)(await redis.Db.HashGetAsync(RedisKeys.Session(session.Id), SessionFields.Replica))!;
        Assert.True(await redis.Db.SetContainsAsync(RedisKeys.ReplicaSessions(replica), session.Id));

        await doomed.KillAsync();

        // Only the execution is asked for, never the session: the API's sweep alone ends both.
        var lost = await Eventually.ReturnsAsync(() => client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{cell.Id}", CodifyJson.Options),
            r => r!.Status.IsTerminal(), TimeSpan.FromSeconds(30), "the lost cell to end");
        Assert.Equal(ExecutionStatus.InternalError, lost!.Status);
        Assert.Equal(SessionEndReasons.ReplicaLost, lost.SessionEnded);
        Assert.Equal("ended", (string?)await redis.Db.HashGetAsync(RedisKeys.Session(session.Id), SessionFields.Status));
        Assert.False(await redis.Db.SetContainsAsync(RedisKeys.ReplicaSessions(replica), session.Id));
        Assert.True(await redis.Db.KeyExistsAsync(RedisKeys.SessionRequests(replica)), "kept while the registry still lists the replica");

        // What the registry does to a replica silent past Sandbox:Registration:ForgetAfterSeconds (an hour by default).
        await redis.Db.SortedSetRemoveAsync(RedisKeys.SandboxesSeen, replica);
        await Eventually.ReturnsAsync(() => redis.Db.KeyExistsAsync(RedisKeys.SessionRequests(replica)), kept => !kept,
            TimeSpan.FromSeconds(10), "the forgotten replica's session stream to be deleted");
        Assert.False(await redis.Db.SetContainsAsync(RedisKeys.SessionReplicas, replica));

        await using var successor = new SandboxFactory(redis.ConnectionString);
        _ = successor.Server;
        await Eventually.ReturnsAsync(() => redis.Db.SortedSetRangeByRankAsync(RedisKeys.HealthySandboxes),
            ids => ids.Any(id => id != replica), TimeSpan.FromSeconds(60), "the successor to advertise itself");
        var next = await SessionsFixture.CreateAsync(client);
        Assert.NotEqual(session.Id, next.Id);
    }

    private static async Task<SandboxProcess> StartReplicaAsync(RedisServer redis)
    {
        var replica = SandboxProcess.Start(redis.ConnectionString, slots: 2);
        await Eventually.ReturnsAsync(() => redis.Db.SortedSetLengthAsync(RedisKeys.HealthySandboxes), n => n == 1,
            TimeSpan.FromSeconds(60), "the replica to advertise itself");
        return replica;
    }

    /// <summary>A new session running a cell that sleeps for a minute, sent with wait=false.</summary>
    private static async Task<(SessionInfo Session, ExecutionRecord Cell)> StartLongCellAsync(HttpClient client)
    {
        var session = await SessionsFixture.CreateAsync(client);
        using var queued = await client.PostAsJsonAsync($"/api/sessions/{session.Id}/execute?wait=false", new { code = "import time\ntime.sleep(60)" });
        var cell = (await queued.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!;
        await Eventually.ReturnsAsync(() => client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{cell.Id}", CodifyJson.Options),
            r => r!.Status == ExecutionStatus.Running, TimeSpan.FromSeconds(30), "the cell to run");
        return (session, cell);
    }
}
