using System.Net;
using Codify.Contracts;
using Codify.Tests.Infrastructure;
using static Codify.Tests.Cancellation.CancelTestKit;

namespace Codify.Tests.Cancellation;

/// <summary>DELETE /api/execute/{id} over real HTTP against real Redis and the real Sandbox: the harmless cases.</summary>
[Collection(StackGroup.Name)]
[ApiTier]
public sealed class CancelExecutionApiTests(StackFixture stack)
{
    [Fact]
    public async Task Unknown_id_answers_404_problem()
    {
        using var response = await stack.Client.DeleteAsync("/api/execute/no-such-execution");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Execution not found", body, StringComparison.Ordinal);
        Assert.Contains("no-such-execution", body, StringComparison.Ordinal);
        Assert.False(await stack.Redis.Db.KeyExistsAsync(RedisKeys.Execution("no-such-execution")));
    }

    [Fact]
    public async Task A_finished_execution_is_left_as_it_was_and_the_answer_says_so()
    {
        var finished = await stack.ExecuteAndWaitAsync(new { code = "print('kept')", language = "python" });
        Assert.Equal(ExecutionStatus.Completed, finished.Status);

        var (status, body) = await DeleteAsync(stack.Client, finished.Id);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body.Cancelled);
        Assert.Equal("execution already finished (completed); left as it was", body.Message);
        Assert.Equal(finished, body.Execution);
        Assert.Equal(finished, await GetAsync(stack.Client, finished.Id));
        Assert.False(await stack.Redis.Db.HashExistsAsync(RedisKeys.Execution(finished.Id), ExecutionFields.CancelRequested));
    }

    [Fact]
    public async Task Cancelling_twice_is_harmless_the_second_answer_says_already_cancelled()
    {
        var id = await QueueAsync(stack.Client, Sleeper);
        await WaitUntilProgramRunsAsync(stack.Client, id);

        var first = await DeleteAsync(stack.Client, id);
        var second = await DeleteAsync(stack.Client, id);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.True(first.Body.Cancelled);
        Assert.Equal("cancelled while running: its processes were killed", first.Body.Message);
        Assert.Equal(ExecutionStatus.Cancelled, first.Body.Execution.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.True(second.Body.Cancelled);
        Assert.Equal("already cancelled; nothing to do", second.Body.Message);
        Assert.Equal(first.Body.Execution, second.Body.Execution);
        Assert.Equal(first.Body.Execution, await GetAsync(stack.Client, id));
    }
}
