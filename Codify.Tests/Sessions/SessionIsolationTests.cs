using System.Net.Http.Json;
using Codify.Contracts.Sessions;

namespace Codify.Tests.Sessions;

/// <summary>Two sessions share nothing: not variables, not files, not processes; and each session's sandbox exists on the host only while it lives.</summary>
[ApiTier]
[Collection(SessionGroup.Name)]
public sealed class SessionIsolationTests(SessionsFixture stack)
{
    [Fact]
    public async Task Two_sessions_cannot_see_each_others_variables_files_or_processes()
    {
        var a = await stack.CreateAsync();
        var b = await stack.CreateAsync();
        await stack.RunAsync(a.Id, "import subprocess\nsecret = 'a-only'\nopen('a.txt', 'w').write('a')\nsleeper = subprocess.Popen(['sleep', '300'])");
        Assert.NotEmpty(SessionLeftovers.Processes(a.Id));

        var seen = await stack.RunAsync(b.Id, """
            import os
            print('secret' in globals(), os.listdir('.'))
            cmdlines = [open(f'/proc/{p}/cmdline').read() for p in os.listdir('/proc') if p.isdigit()]
            print(any('sleep' in c for c in cmdlines))
            """);
        Assert.Equal("False []\nFalse\n", seen.Stdout);

        await stack.CloseAsync(a.Id);
        await stack.CloseAsync(b.Id);
    }

    [Fact]
    public async Task Closing_a_session_leaves_no_process_cgroup_or_folder_and_ends_it_for_good()
    {
        var session = await stack.CreateAsync();
        await stack.RunAsync(session.Id, "import subprocess\nsubprocess.Popen(['sleep', '300'])");
        Assert.NotEmpty(SessionLeftovers.Folders(stack.Sandbox.Services, session.Id));

        await stack.CloseAsync(session.Id);

        Assert.Empty(SessionLeftovers.Processes(session.Id));
        await Infrastructure.Eventually.ReturnsAsync(() => Task.FromResult(SessionLeftovers.All(stack.Sandbox.Services, session.Id)),
            left => left.Count == 0, TimeSpan.FromSeconds(10), "the session's cgroup and folder to be removed");
        var closed = await stack.GetAsync(session.Id);
        Assert.Equal(SessionStatus.Ended, closed.Status);
        Assert.Equal(SessionEndReasons.Closed, closed.EndReason);
        using var response = await stack.Client.PostAsJsonAsync($"/api/sessions/{session.Id}/execute", new { code = "1" });
        Assert.Equal(System.Net.HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("\"reason\":\"ended\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_idle_session_ends_by_itself_and_leaves_nothing()
    {
        var session = await stack.CreateAsync(idleTimeoutSeconds: 1);
        await stack.RunAsync(session.Id, "import subprocess\nsubprocess.Popen(['sleep', '300'])");

        var ended = await Infrastructure.Eventually.ReturnsAsync(() => stack.GetAsync(session.Id),
            s => s.Status == SessionStatus.Ended, TimeSpan.FromSeconds(15), "the idle session to end");
        Assert.Equal(SessionEndReasons.Idle(1), ended.EndReason);
        await Infrastructure.Eventually.ReturnsAsync(() => Task.FromResult(SessionLeftovers.All(stack.Sandbox.Services, session.Id)),
            left => left.Count == 0, TimeSpan.FromSeconds(10), "the idle session's processes, cgroup and folder to be removed");
    }
}
