using System.Net;
using System.Net.Http.Json;
using Codify.Contracts;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

namespace Codify.Tests.Api.Admission;

/// <summary>Executions:MaxQueueLength caps the jobs waiting for a sandbox across all replicas: beyond it, 503 and nothing queued.</summary>
[ApiTier]
public sealed class QueueCapTests
{
    private static readonly Dictionary<string, string?> Cap = new()
    {
        ["Executions:MaxQueueLength"] = "2",
        ["Executions:QueueFullRetryAfterSeconds"] = "7",
    };

    [Fact]
    public async Task A_full_queue_answers_503_with_retry_after_and_queues_nothing()
    {
        await using var host = await AdmissionHost.StartAsync();
        using var client = host.AddReplica(Cap).CreateClient();
        for (var i = 0; i < 2; i++)
        {
            using var accepted = await AdmissionHost.ExecuteAsync(client);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using var response = await AdmissionHost.ExecuteAsync(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter!.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal("Execution queue full", problem!.Title);
        Assert.Contains("Executions:MaxQueueLength", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(2, await host.Redis.Db.StreamLengthAsync(RedisKeys.JobStream));
    }

    [Fact]
    public async Task Jobs_a_sandbox_has_taken_do_not_count_as_waiting()
    {
        await using var host = await AdmissionHost.StartAsync();
        using var client = host.AddReplica(Cap).CreateClient();
        var db = host.Redis.Db;
        await db.StreamCreateConsumerGroupAsync(RedisKeys.JobStream, RedisKeys.SandboxGroup, StreamPosition.Beginning, createStream: true);
        for (var i = 0; i < 2; i++)
        {
            using var accepted = await AdmissionHost.ExecuteAsync(client);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using (var full = await AdmissionHost.ExecuteAsync(client))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, full.StatusCode);
        }

        // A worker takes both (they are now running, pending in the group): the queue has room again.
        var taken = await db.StreamReadGroupAsync(RedisKeys.JobStream, RedisKeys.SandboxGroup, "test-worker", StreamPosition.NewMessages, count: 2);
        Assert.Equal(2, taken.Length);

        using var response = await AdmissionHost.ExecuteAsync(client);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(3, await db.StreamLengthAsync(RedisKeys.JobStream));
    }
}
