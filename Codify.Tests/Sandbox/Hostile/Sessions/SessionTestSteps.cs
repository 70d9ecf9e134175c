using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Sandbox.Hostile.Sessions;

/// <summary>The steps the session-only hostile tests share: a session named after a marker, and proof that it left nothing.</summary>
internal static class SessionTestSteps
{
    public const string Python = "python";

    /// <summary>Ends the session (if it has not ended) and proves nothing of it is left on the host, as a run's leftovers are checked.</summary>
    public static async Task EndAndAssertGoneAsync(this SessionSandboxRunnerFixture sandbox, string marker, string sessionId)
    {
        await sandbox.Sessions.EndAsync(sessionId);
        await sandbox.WhenCleanedUpAsync().WaitAsync(KernelUnderTest.Scaled(TimeSpan.FromSeconds(30)));
        var leftovers = HostChecks.Leftovers(sandbox, marker);
        Assert.True(leftovers.Count == 0, $"session {sessionId} left on the host:\n{string.Join('\n', leftovers)}");
    }

    /// <summary>The session goes on: its state is still there and a new cell completes.</summary>
    public static async Task AssertGoesOnAsync(this SessionSandboxRunnerFixture sandbox, string sessionId, string code, string stdout, ExecutionLimits limits)
    {
        var next = await sandbox.Sessions.RunCellAsync(sessionId, code, limits);
        Assert.True(next is { Status: ExecutionStatus.Completed, SessionEnded: null } && next.Stdout == stdout,
            $"the session did not go on: {next.Status.ToWire()} '{next.Stdout}' '{next.Stderr}' {next.Message}");
    }
}
