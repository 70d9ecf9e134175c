using Codify.Contracts;
using Codify.Contracts.Sessions;

namespace Codify.Tests.Sessions;

/// <summary>
/// The program shares its process with the session's kernel and can write to the kernel's control pipe: what it forges
/// misleads at most its own session, and garbage on the pipe ends that session, never the service or another session.
/// </summary>
[ApiTier]
[Collection(SessionGroup.Name)]
public sealed class SessionKernelProtocolTests(SessionsFixture stack)
{
    /// <summary>Writes to every descriptor from 3 up that takes it: the kernel's answer pipe is among them.</summary>
    private const string WriteToEveryFd = "import os\nfor fd in range(3, 64):\n    try:\n        os.write(fd, PAYLOAD)\n    except OSError:\n        pass\n";

    [Fact]
    public async Task Garbage_on_the_control_pipe_ends_only_that_session_and_says_why()
    {
        var bystander = await stack.CreateAsync();
        await stack.RunAsync(bystander.Id, "kept = 7");
        var victim = await stack.CreateAsync();

        var broken = await stack.RunAsync(victim.Id, WriteToEveryFd.Replace("PAYLOAD", "b'zzzzzzzz not a frame'", StringComparison.Ordinal) + "import time\ntime.sleep(5)");
        Assert.NotEqual(ExecutionStatus.Completed, broken.Status);
        Assert.Contains("malformed frame", broken.SessionEnded, StringComparison.Ordinal);
        Assert.Equal(SessionStatus.Ended, (await stack.GetAsync(victim.Id)).Status);

        Assert.Equal("8", Assert.Single((await stack.RunAsync(bystander.Id, "kept + 1")).Outputs!).Data);
        await stack.CloseAsync(bystander.Id);
    }

    [Fact]
    public async Task A_forged_end_of_another_cell_does_not_end_the_cell_that_runs()
    {
        var session = await stack.CreateAsync();
        var forge = "import json\nbody = json.dumps({'t': 'done', 'cell': 'someone-else', 'exit': 0, 'outputs': [{'type': 'text/plain', 'data': 'forged'}]}).encode()\n"
            + WriteToEveryFd.Replace("PAYLOAD", "b'%08x' % len(body) + body", StringComparison.Ordinal) + "'real'";
        var cell = await stack.RunAsync(session.Id, forge);
        Assert.Equal(ExecutionStatus.Completed, cell.Status);
        Assert.Equal("'real'", Assert.Single(cell.Outputs!).Data);
        Assert.Equal("2", Assert.Single((await stack.RunAsync(session.Id, "1 + 1")).Outputs!).Data);
        await stack.CloseAsync(session.Id);
    }
}
