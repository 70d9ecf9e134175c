using Codify.ExecutionApi.Sessions;

namespace Codify.Tests.Sessions;

/// <summary>Only plain relative paths reach a session's kernel; every refusal says why.</summary>
[UnitTier]
public sealed class SessionPathsTests
{
    [Theory]
    [InlineData("", "required")]
    [InlineData("/etc/passwd", "relative")]
    [InlineData("a\\b", "relative")]
    [InlineData("../x", "'..'")]
    [InlineData("a/../../x", "'..'")]
    [InlineData("a/./b", "'..'")]
    [InlineData("a//b", "'..'")]
    [InlineData("a/", "'..'")]
    [InlineData("bad\0name", "NUL")]
    [InlineData("tab\there", "control")]
    public void Refuses_what_is_not_a_plain_relative_path(string path, string why) =>
        Assert.Contains(why, SessionPaths.Refusal(path, 255), StringComparison.Ordinal);

    [Fact]
    public void Refuses_an_over_long_path_naming_the_setting() =>
        Assert.Contains("Sessions:MaxPathBytes", SessionPaths.Refusal(new string('é', 128), 255), StringComparison.Ordinal);

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("data/in.csv")]
    [InlineData(".hidden/file with spaces.txt")]
    [InlineData("..dots-in-a-name..")]
    public void Lets_plain_relative_paths_through(string path) => Assert.Null(SessionPaths.Refusal(path, 255));
}
