using System.Text.Json;
using Codify.Contracts;
using Codify.Contracts.Sessions;
using Codify.Tests.Infrastructure;
using Codify.Tests.Sandbox;

namespace Codify.Tests.Sessions;

/// <summary>
/// A cell cancelled before it reaches the kernel frees its session at once, not only when the API's claim on the session
/// lapses (the cell's wall limit plus 30 s). Through the API the replica nearly always starts the cell first, so the two
/// states a cancel can win in are written here as the API leaves them: the session claimed by the cell, its record
/// cancelled while queued, or still queued with the cancel flag the replica reads as it starts the record.
/// </summary>
[ApiTier]
[Collection(SessionGroup.Name)]
public sealed class SessionCellCancelTests(SessionsFixture stack)
{
    [Theory]
    [InlineData("cancelled", false)]
    [InlineData("queued", true)]
    public async Task A_cell_cancelled_before_it_reaches_the_kernel_frees_its_session(string status, bool cancelFlag)
    {
        var session = await stack.CreateAsync();
        await stack.RunAsync(session.Id, "kept = 5");
        var replica = (string)(await stack.Redis.Db.HashGetAsync(RedisKeys.Session(session.Id), SessionFields.Replica))!;
        var cell = Guid.NewGuid().ToString("N");
        await stack.Redis.Db.HashSetAsync(RedisKeys.Session(session.Id),
            [new(SessionFields.Cell, cell), new(SessionFields.CellUntil, DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds())]);
        var spec = new ExecutionSpec("python", "kept = 0", null, SandboxRunnerFixture.Limits(), SessionId: session.Id);
        await stack.Redis.Db.HashSetAsync(RedisKeys.Execution(cell),
        [
            new(ExecutionFields.Status, status),
            new(ExecutionFields.Language, "python"),
            new(ExecutionFields.Spec, JsonSerializer.Serialize(spec, CodifyJson.Options)),
            new(ExecutionFields.CreatedAt, DateTimeOffset.UtcNow.ToString("O")),
            new(ExecutionFields.SessionId, session.Id),
            .. cancelFlag ? new StackExchange.Redis.HashEntry[] { new(ExecutionFields.CancelRequested, DateTimeOffset.UtcNow.ToString("O")) } : [],
        ]);
        await stack.Redis.Db.StreamAddAsync(RedisKeys.SessionRequests(replica), [new(JobFields.ExecutionId, cell)]);
        await stack.Redis.Db.PublishAsync(StackExchange.Redis.RedisChannel.Literal(RedisKeys.SessionRequestsAvailable(replica)), "1");

        await Eventually.ReturnsAsync(async () => (string?)await stack.Redis.Db.HashGetAsync(RedisKeys.Session(session.Id), SessionFields.Cell),
            holder => holder is null, TimeSpan.FromSeconds(10), "the session to be free again");
        Assert.Equal("cancelled", (string?)await stack.Redis.Db.HashGetAsync(RedisKeys.Execution(cell), ExecutionFields.Status));
        Assert.Equal("6", Assert.Single((await stack.RunAsync(session.Id, "kept + 1")).Outputs!).Data);
        await stack.CloseAsync(session.Id);
    }
}
