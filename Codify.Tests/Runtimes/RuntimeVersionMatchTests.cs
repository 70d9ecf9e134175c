using Codify.Contracts;
using Codify.Sandbox.Runtimes;

namespace Codify.Tests.Runtimes;

[UnitTier]
public sealed class RuntimeVersionMatchTests
{
    private static readonly RuntimeInfo Python = new("python", "3.11.2", ["py"], ".py", "/usr/bin/python3");

    [Theory]
    [InlineData("3.11.2", true)]
    [InlineData("3.11", true)]
    [InlineData("3", true)]
    [InlineData("3.x", true)]
    [InlineData("3.11.x", true)]
    [InlineData("3.*", true)]
    [InlineData("*", true)]
    [InlineData("latest", true)]
    [InlineData("v3.11", true)]
    [InlineData("3.1", false)]
    [InlineData("3.11.20", false)]
    [InlineData("2", false)]
    [InlineData("", false)]
    [InlineData("33", false)]
    public void A_version_matches_exactly_by_whole_component_prefix_or_wildcard(string requested, bool matches) =>
        Assert.Equal(matches, Python.Matches(requested));

    [Theory]
    [InlineData("Python 3.11.2\n", "3.11.2")]
    [InlineData("v20.20.2\n", "20.20.2")]
    [InlineData("\nPython 2.7.18\n", "2.7.18")]
    [InlineData("no version here", null)]
    public void The_version_is_the_first_dotted_number_printed(string printed, string? version) =>
        Assert.Equal(version, InterpreterVersion.Parse(printed));

    [Fact]
    public async Task A_missing_interpreter_has_no_version()
    {
        Assert.Null(await InterpreterVersion.ReadAsync("/nonexistent/python3", CancellationToken.None));
    }
}
