using System.Text;
using Codify.Contracts;

namespace Codify.Tests.Sandbox.Capture;

/// <summary>
/// <c>returnFiles</c>: the regular files a program wrote in its work dir come back (names, sizes, content), capped; planted
/// symlinks, hidden entries and the program's own files do not. Cold here; python warm in the pooled class.
/// </summary>
[SandboxTier]
public class ReturnedFilesTests(CaptureSandboxFixture sandbox) : IClassFixture<CaptureSandboxFixture>
{
    private Task<ExecutionResult> RunAsync(string language, string code, bool returnFiles = true) =>
        sandbox.Runner.RunAsync("files", new ExecutionSpec(language, code, null, SandboxRunnerFixture.Limits(wallMs: 20_000), ReturnFiles: returnFiles),
            CancellationToken.None);

    [Theory]
    [InlineData("python", """
        import os
        os.makedirs('out')
        open('report.txt', 'w').write('hello')
        open('out/data.bin', 'wb').write(bytes(range(256)))
        os.symlink('/etc/passwd', 'passwd-link')
        os.symlink('/usr/lib', 'lib-link')
        os.mkfifo('pipe')
        open('.hidden', 'w').write('secret')
        """)]
    [InlineData("javascript", """
        const fs = require('fs');
        fs.mkdirSync('out');
        fs.writeFileSync('report.txt', 'hello');
        fs.writeFileSync('out/data.bin', Buffer.from([...Array(256).keys()]));
        fs.symlinkSync('/etc/passwd', 'passwd-link');
        fs.symlinkSync('/usr/lib', 'lib-link');
        fs.writeFileSync('.hidden', 'secret');
        """)]
    public async Task Written_files_come_back_and_no_symlink_fifo_hidden_or_program_file_does(string language, string code)
    {
        var result = await RunAsync(language, code);

        Assert.True(result.Status == ExecutionStatus.Completed, result.Stderr);
        Assert.Equal(["out/data.bin", "report.txt"], result.Files!.Select(f => f.Name).Order(StringComparer.Ordinal));
        var report = result.Files!.Single(f => f.Name == "report.txt");
        Assert.Equal((5L, "hello"), (report.Size, Encoding.UTF8.GetString(Convert.FromBase64String(report.Data))));
        Assert.Equal(Enumerable.Range(0, 256).Select(i => (byte)i), Convert.FromBase64String(result.Files!.Single(f => f.Name == "out/data.bin").Data));
        Assert.False(result.FilesTruncated);
    }

    [Fact]
    public async Task More_files_than_the_cap_are_cut_to_the_cap_and_flagged()
    {
        var result = await RunAsync("python", "for i in range(5):\n    open(f'f{i}.txt', 'w').write(str(i))");

        Assert.Equal(ExecutionStatus.Completed, result.Status);
        Assert.Equal(CaptureSandboxFixture.MaxFiles, result.Files!.Count);
        Assert.True(result.FilesTruncated);
    }

    [Fact]
    public async Task A_file_over_the_byte_cap_is_left_out_and_the_rest_still_come_back()
    {
        var result = await RunAsync("python", $"open('big.bin', 'wb').write(b'x' * {CaptureSandboxFixture.MaxFileBytes + 1})\nopen('small.txt', 'w').write('s')");

        Assert.Equal(ExecutionStatus.Completed, result.Status);
        Assert.Equal("small.txt", Assert.Single(result.Files!).Name);
        Assert.True(result.FilesTruncated);
    }

    [Fact]
    public async Task Files_of_a_program_that_failed_still_come_back_and_none_without_the_flag()
    {
        var failed = await RunAsync("python", "open('partial.txt', 'w').write('p')\nraise SystemExit(3)");
        var plain = await RunAsync("python", "open('partial.txt', 'w').write('p')", returnFiles: false);

        Assert.Equal((ExecutionStatus.RuntimeError, 3), (failed.Status, failed.ExitCode));
        Assert.Equal("partial.txt", Assert.Single(failed.Files!).Name);
        Assert.Null(plain.Files);
        Assert.Null(plain.FilesTruncated);
    }
}

/// <summary>The same, python served by a warm sandbox (node's files are collected by a cold run: the pool falls back).</summary>
public sealed class PooledReturnedFilesTests(PooledCaptureSandboxFixture sandbox) : ReturnedFilesTests(sandbox), IClassFixture<PooledCaptureSandboxFixture>;
