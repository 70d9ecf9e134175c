using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;
using Codify.Tests.Infrastructure;
using static Codify.Tests.Sandbox.JobsInRedis;

namespace Codify.Tests.Durability;

/// <summary>
/// Redis runs with the AppHost's own arguments (append-only file, fsync every second): a restart of Redis, or of the
/// whole app, keeps what the API accepted with a 202. Queued work runs afterwards; work that was running ends
/// <c>internal_error</c> with a reason.
/// </summary>
[ApiTier]
public sealed class RestartDurabilityTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("codify-redis-data-");

    [Fact]
    public async Task Accepted_work_survives_a_whole_app_restart_queued_jobs_run_and_running_ones_end_with_a_reason()
    {
        await using var redis = await RedisServer.StartDurableAsync(_data.FullName);
        // A heartbeat an hour ahead stands for a healthy fleet, so the API accepts work with no Sandbox serving it yet.
        await redis.Db.SortedSetAddAsync(RedisKeys.HealthySandboxes, "test-heartbeat", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds());
        var running = await SeedJobHeldByDeadWorkerAsync(redis, ExecutionStatus.Running, "print('never again')");
        var queued = new List<string>();
        await using (var before = new ApiFactory(redis.ConnectionString))
        {
            using var client = before.CreateClient();
            for (var i = 0; i < 2; i++)
            {
                using var response = await client.PostAsJsonAsync("/api/execute", new { code = $"print({i} + 40)", language = "python" });
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                queued.Add((await response.Content.ReadFromJsonAsync<ExecutionRecord>(CodifyJson.Options))!.Id);
            }
        }

        await redis.RestartAsync();

        Assert.True(File.Exists(Path.Combine(_data.FullName, "appendonlydir", "appendonly.aof.manifest")), "redis-server keeps its append-only file in the data folder");
        Assert.Equal(3, await redis.Db.StreamLengthAsync(RedisKeys.JobStream));
        await using var after = new ApiFactory(redis.ConnectionString);
        using var reader = after.CreateClient();
        foreach (var id in queued)
        {
            var record = await reader.GetFromJsonAsync<ExecutionRecord>($"/api/execute/{id}", CodifyJson.Options);
            Assert.Equal(ExecutionStatus.Queued, record!.Status);
        }

        await using var sandbox = new SandboxFactory(redis.ConnectionString);
        _ = sandbox.Server;

        Assert.Equal("internal_error", await WaitForEndAsync(redis, running));
        Assert.Contains("worker lost", (await ReadResultAsync(redis, running)).Message, StringComparison.Ordinal);
        for (var i = 0; i < queued.Count; i++)
        {
            Assert.Equal("completed", await WaitForEndAsync(redis, queued[i]));
            Assert.Equal($"{i + 40}\n", (await ReadResultAsync(redis, queued[i])).Stdout);
        }
    }

    public void Dispose() => _data.Delete(recursive: true);
}
