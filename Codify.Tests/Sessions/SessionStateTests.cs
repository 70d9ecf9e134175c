using Codify.Contracts;
using Codify.Contracts.Sessions;

namespace Codify.Tests.Sessions;

/// <summary>A session keeps its interpreter between cells: variables, imports, functions, files; the last expression shows.</summary>
[ApiTier]
[Collection(SessionGroup.Name)]
public sealed class SessionStateTests(SessionsFixture stack)
{
    [Fact]
    public async Task A_python_session_keeps_variables_imports_functions_and_files_and_shows_the_last_expression()
    {
        var session = await stack.CreateAsync();
        Assert.Equal(SessionStatus.Ready, session.Status);
        Assert.Equal("python", session.Language);
        Assert.True(session.ExpiresAt > session.CreatedAt);

        var first = await stack.RunAsync(session.Id, "import math\nx = 41\ndef twice(v):\n    return 2 * v\nopen('notes.txt', 'w').write('kept')\nprint('set')");
        Assert.Equal(ExecutionStatus.Completed, first.Status);
        Assert.Equal("set\n", first.Stdout);
        Assert.Equal(session.Id, first.SessionId);

        var second = await stack.RunAsync(session.Id, "print(open('notes.txt').read())\ntwice(x + 1) + math.floor(0.5)");
        Assert.Equal(ExecutionStatus.Completed, second.Status);
        Assert.Equal("kept\n", second.Stdout);
        var value = Assert.Single(second.Outputs!);
        Assert.Equal(new RichOutput("text/plain", "84"), value);

        Assert.Equal(2, (await stack.GetAsync(session.Id)).Cells);
        await stack.CloseAsync(session.Id);
    }

    [Fact]
    public async Task A_javascript_session_keeps_let_const_and_functions_across_cells()
    {
        var session = await stack.CreateAsync("javascript");
        var first = await stack.RunAsync(session.Id, "let x = 41; const greet = (n) => `hi ${n}`; function twice(v) { return 2 * v; }\nconsole.log('set')");
        Assert.Equal(ExecutionStatus.Completed, first.Status);
        Assert.Equal("set\n", first.Stdout);
        Assert.Null(first.Outputs);

        var second = await stack.RunAsync(session.Id, "console.log(greet('there')); twice(x + 1)");
        Assert.Equal(ExecutionStatus.Completed, second.Status);
        Assert.Equal("hi there\n", second.Stdout);
        Assert.Equal("84", Assert.Single(second.Outputs!).Data);
        await stack.CloseAsync(session.Id);
    }
}
