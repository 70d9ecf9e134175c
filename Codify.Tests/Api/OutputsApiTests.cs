using Codify.Contracts;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Api;

/// <summary><c>outputs</c> and <c>returnFiles</c> through the REST API, real Redis and the real Sandbox: the stored record carries them.</summary>
[Collection(StackGroup.Name)]
[ApiTier]
public sealed class OutputsApiTests(StackFixture stack)
{
    [Fact]
    public async Task Outputs_and_files_asked_for_come_back_in_the_record()
    {
        var record = await stack.ExecuteAndWaitAsync(new
        {
            language = "python",
            code = "open('answer.txt', 'w').write('42')\n6 * 7",
            outputs = true,
            returnFiles = true,
            timeout = 20,
        });

        Assert.True(record.Status == ExecutionStatus.Completed, record.Stderr);
        Assert.Equal(new RichOutput(RichOutput.Text, "42"), Assert.Single(record.Outputs!));
        var file = Assert.Single(record.Files!);
        Assert.Equal(("answer.txt", 2L, "42"), (file.Name, file.Size, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(file.Data))));
        Assert.False(record.OutputsTruncated);
        Assert.False(record.FilesTruncated);
    }

    [Fact]
    public async Task Without_the_flags_the_record_has_neither()
    {
        var record = await stack.ExecuteAndWaitAsync(new { language = "python", code = "open('a.txt', 'w').write('x')\n1 + 1" });

        Assert.Equal(ExecutionStatus.Completed, record.Status);
        Assert.Null(record.Outputs);
        Assert.Null(record.Files);
    }
}
