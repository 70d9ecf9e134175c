namespace Codify.Tests.Sessions;

/// <summary>
/// A cell's claim on its session is freed by the replica when the cell ends, by the cell's execution id: a quick cell that
/// ends before its API request has finished queueing it must not leave the session busy for the next one.
/// </summary>
[ApiTier]
[Collection(SessionGroup.Name)]
public sealed class SessionCellClaimTests(SessionsFixture stack)
{
    [Fact]
    public async Task Back_to_back_quick_cells_never_find_their_session_busy()
    {
        var session = await stack.CreateAsync();
        await stack.RunAsync(session.Id, "x = 0");

        // RunAsync asserts 200 for each: a 409 (busy) from a claim left behind by the previous cell fails here.
        for (var i = 1; i <= 60; i++)
        {
            await stack.RunAsync(session.Id, "x += 1");
        }

        Assert.Equal("60", Assert.Single((await stack.RunAsync(session.Id, "x")).Outputs!).Data);
        await stack.CloseAsync(session.Id);
    }
}
