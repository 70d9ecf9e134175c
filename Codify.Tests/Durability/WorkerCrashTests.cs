using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Durability;

/// <summary>
/// A Sandbox replica SIGKILLed mid-run: a surviving replica ends its running jobs <c>internal_error</c> ("sandbox worker
/// lost"), runs the queued ones and keeps serving; with no survivor the API stops accepting work within a few heartbeats.
/// </summary>
[ApiTier]
public sealed class WorkerCrashTests
{
    [Fact]
    public async Task The_surviving_replica_ends_the_dead_ones_running_jobs_with_a_reason_and_runs_the_queued_ones()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var doomed = SandboxProcess.Start(redis.ConnectionString, slots: 2);
        await WaitForHealthyReplicasAsync(redis, 1);
        await using var api = new ApiFactory(redis.ConnectionString);
        using var client = api.CreateClient();
        string[] running = [await PostAsync(client, "import time\ntime.sleep(60)"), await PostAsync(client, "import time\ntime.sleep(60)")];
        foreach (var id in running)
        {
            await WaitForStatusAsync(client, id, s => s == ExecutionStatus.Running);
        }

        var queued = await PostAsync(client, "print('waited')"); // both slots of the doomed replica are busy
        await using var survivor = new SandboxFactory(redis.ConnectionString);
        _ = survivor.Server;
        await WaitForHealthyReplicasAsync(redis, 2);
        await doomed.KillAsync();

        foreach (var id in running)
        {
            var lost = await WaitForStatusAsync(client, id, s => s.IsTerminal());
            Assert.Equal(ExecutionStatus.InternalError, lost.Status);
            Assert.Contains("sandbox worker lost", lost.Message, StringComparison.Ordinal);
        }

        Assert.Equal("waited\n", (await WaitForStatusAsync(client, queued, s => s.IsTerminal())).Stdout);
        Assert.Equal("afterwards\n", (await WaitForStatusAsync(client, await PostAsync(client, "print('afterwards')"), s => s.IsTerminal())).Stdout);
    }

    [Fact]
    public async Task With_no_replica_left_the_api_refuses_new_work_within_a_few_heartbeats()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var only = SandboxProcess.Start(redis.ConnectionString, slots: 1);
        await WaitForHealthyReplicasAsync(redis, 1);
        await using var api = new ApiFactory(redis.ConnectionString); // the default Executions:SandboxHeartbeatTimeoutSeconds
        using var client = api.CreateClient();
        await PostAsync(client, "print(1)");

        await only.KillAsync();
        var clock = Stopwatch.StartNew();
        await Eventually.ReturnsAsync(
            async () =>
            {
                using var response = await client.PostAsJsonAsync("/api/execute", new { code = "print(2)", language = "python" });
                return response.StatusCode;
            },
            s => s == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(12), "the API to refuse work for a dead fleet");

        // Six seconds without a heartbeat (three missed beats of the 2 s default), well under the 15 s it used to be.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(9), $"took {clock.Elapsed}");
    }

    private static Task<long> WaitForHealthyReplicasAsync(RedisServer redis, int count) =>
        Eventually.ReturnsAsync(() => redis.Db.SortedSetLengthAsync(RedisKeys.HealthySandboxes), n => n == count,
            TimeSpan.FromSeconds(60), $"{count} sandbox replica(s) to advertise themselves");

    private static async Task<string> PostAsync(HttpClient client, string code)
    {
        using var response = await client.PostAsJsonAsync("/api/execute", new { code, language = "python", timeout = 30 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!.Id;
    }

    private static async Task<ExecutionRecord> WaitForStatusAsync(HttpClient client, string id, Func<ExecutionStatus, bool> until) =>
        (await Eventually.ReturnsAsync(() => client.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{id}", CodifyJson.Options),
            r => until(r!.Status), TimeSpan.FromSeconds(30), $"execution {id} to reach the expected status"))!;
}
