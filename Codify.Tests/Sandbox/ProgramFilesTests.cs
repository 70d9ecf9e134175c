using Codify.Contracts;

namespace Codify.Tests.Sandbox;

/// <summary>Several files (first one the entry point) and command-line arguments reach the program.</summary>
[SandboxTier]
public sealed class ProgramFilesTests(SandboxRunnerFixture sandbox) : IClassFixture<SandboxRunnerFixture>
{
    [Fact]
    public async Task Python_entry_point_imports_a_sibling_module_and_reads_its_arguments()
    {
        SourceFile[] files = [new("app.py", "import sys, helper\nprint(helper.twice(int(sys.argv[1])), sys.argv[2:])"), new("helper.py", "def twice(x):\n    return 2 * x")];
        var spec = new ExecutionSpec("python", files[0].Content, null, SandboxRunnerFixture.Limits(), Files: files, Args: ["21", "a b", "--flag"]);

        var result = await sandbox.Runner.RunAsync("files", spec, CancellationToken.None);

        Assert.Equal("42 ['a b', '--flag']\n", result.Stdout);
    }

    [Fact]
    public async Task Node_entry_point_requires_a_sibling_module()
    {
        SourceFile[] files = [new("index.js", "const m = require('./lib.js'); console.log(m.hi(process.argv[2]))"), new("lib.js", "exports.hi = n => `hi ${n}`")];
        var spec = new ExecutionSpec("javascript", files[0].Content, null, SandboxRunnerFixture.Limits(), Files: files, Args: ["codify"]);

        var result = await sandbox.Runner.RunAsync("files", spec, CancellationToken.None);

        Assert.Equal("hi codify\n", result.Stdout);
    }

    [Fact]
    public async Task Program_files_are_read_only_inside_the_sandbox()
    {
        var result = await sandbox.RunAsync("python", "open('main.py', 'a').write('#')");

        Assert.Equal(ExecutionStatus.RuntimeError, result.Status);
        Assert.Matches("Read-only file system|Permission denied", result.Stderr);
    }

    [Theory]
    [InlineData("../escape.py")]
    [InlineData("/etc/passwd")]
    [InlineData(".hidden")]
    [InlineData("dir/file.py")]
    public async Task Unsafe_file_names_never_reach_the_host_filesystem(string name)
    {
        var spec = new ExecutionSpec("python", "print(1)", null, SandboxRunnerFixture.Limits(), Files: [new(name, "print(1)")]);

        var result = await sandbox.Runner.RunAsync("files", spec, CancellationToken.None);

        Assert.Equal(ExecutionStatus.InternalError, result.Status);
        Assert.False(SourceFile.IsSafeName(name));
    }
}
