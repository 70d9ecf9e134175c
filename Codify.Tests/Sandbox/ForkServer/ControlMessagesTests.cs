using System.Text;
using Codify.Sandbox.ForkServer;

namespace Codify.Tests.Sandbox.ForkServer;

/// <summary>The host ⇄ fork server protocol: one word per field, nothing a value could smuggle in, every answer parsed.</summary>
[UnitTier]
public sealed class ControlMessagesTests
{
    [Fact]
    public void Commands_are_space_separated_words()
    {
        Assert.Equal("prefork abc 7 fork-abc", Encoding.ASCII.GetString(ControlMessages.Prefork("abc", 7, "fork-abc")));
        Assert.Equal("joined abc", Encoding.ASCII.GetString(ControlMessages.Joined("abc")));
        Assert.Equal("run abc 256 1048576 12", Encoding.ASCII.GetString(ControlMessages.Run("abc", 256, 1 << 20, 12)));
        Assert.Equal("drop abc", Encoding.ASCII.GetString(ControlMessages.Drop("abc")));
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("../x")]
    [InlineData("")]
    [InlineData("x\ny")]
    public void A_word_that_could_split_or_escape_is_refused(string word)
    {
        Assert.Throws<ArgumentException>(() => ControlMessages.Prefork(word, 1, "f"));
        Assert.Throws<ArgumentException>(() => ControlMessages.Prefork("id", 1, word));
        Assert.Throws<ArgumentException>(() => ControlMessages.Joined(word));
        Assert.Throws<ArgumentException>(() => ControlMessages.Run(word, 1, 1, 1));
    }

    [Fact]
    public void Negative_numbers_are_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => ControlMessages.Prefork("id", -1, "f"));

    [Fact]
    public void Answers_are_parsed_and_anything_else_is_a_format_error()
    {
        Assert.Equal([3], ControlMessages.Parse("ready abc 3"u8).Numbers);
        Assert.Equal((ServerMessageKind.Exit, "abc", 137), (ControlMessages.Parse("exit abc 137"u8).Kind, ControlMessages.Parse("exit abc 137"u8).Id, ControlMessages.Parse("exit abc 137"u8).Numbers[0]));
        Assert.Equal("unshare refused: EPERM", ControlMessages.Parse("fail abc unshare refused: EPERM"u8).Text);
        Assert.Equal(ServerMessageKind.Hello, ControlMessages.Parse("hello 2"u8).Kind);
        Assert.Throws<FormatException>(() => ControlMessages.Parse("ready abc 3 4"u8));
        Assert.Throws<FormatException>(() => ControlMessages.Parse("exit abc -1"u8));
        Assert.Throws<FormatException>(() => ControlMessages.Parse("launch rockets"u8));
    }

    [Fact]
    public void The_server_level_pid_is_the_second_NSpid_entry()
    {
        Assert.Equal(5, NamespacePids.ServerLevelPid("Name:\tpython3\nNSpid:\t4321\t5\t1\nNSsid:\t1\n"));
        Assert.Null(NamespacePids.ServerLevelPid("Name:\tbwrap\nNSpid:\t4321\n"));
    }

    [Fact]
    public void The_server_runs_the_warm_launcher_through_its_finisher()
    {
        Assert.EndsWith("_codify_finish(_codify_launch)\n", ForkServerCommand.Launcher, StringComparison.Ordinal);
        Assert.Contains("def _codify_launch():", ForkServerCommand.Launcher, StringComparison.Ordinal);
        Assert.Contains("_codify_finish = forked.args[0]", ForkServerCommand.ServerSource, StringComparison.Ordinal);
    }
}
