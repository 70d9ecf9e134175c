using Codify.Sandbox.Supervision;

namespace Codify.Tests.Sandbox.Supervision;

[UnitTier]
public sealed class OutputJudgeTests
{
    [Theory]
    [InlineData("42\n", "42")]
    [InlineData("42   \n\n\n", "42\n")]
    [InlineData("a\r\nb\r\n", "a\nb")]
    [InlineData("a  \nb\t\n", "a\nb")]
    public void Trailing_whitespace_and_line_endings_do_not_matter(string actual, string expected) =>
        Assert.True(OutputJudge.Matches(actual, expected));

    [Theory]
    [InlineData("42\n", "43")]
    [InlineData(" 42\n", "42")]
    [InlineData("a\n\nb\n", "a\nb")]
    [InlineData("", "0")]
    public void Anything_else_must_match_exactly(string actual, string expected) =>
        Assert.False(OutputJudge.Matches(actual, expected));
}
