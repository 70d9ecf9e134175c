using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Codify.Sandbox.ForkServer;

/// <summary>
/// The host ⇄ fork server protocol: one SOCK_SEQPACKET message per command (the kernel keeps the boundaries, and the
/// run's three pipe ends travel with its "run" message as SCM_RIGHTS). ASCII words separated by one space; ids and
/// folder names are checked here so no message can carry an extra word into the server's parser.
/// </summary>
internal static partial class ControlMessages
{
    /// <summary>
    /// Forks a child that isolates itself as host uid first + <paramref name="innerUid"/>, binds the program file of its
    /// <paramref name="folder"/> in the spool (empty until the run) and waits to be joined to its cgroup.
    /// </summary>
    public static byte[] Prefork(string id, int innerUid, string folder) => Encode("prefork", Word(id), Number(innerUid), Word(folder));

    /// <summary>The child is in its run's cgroup: it forks the program's process, which waits for the run.</summary>
    public static byte[] Joined(string id) => Encode("joined", Word(id));

    /// <summary>Hands a preforked child its program's rlimits and (as fds) stdin, stdout, stderr; its file is filled by then.</summary>
    public static byte[] Run(string id, int openFiles, long fileSizeBytes, long cpuSeconds) =>
        Encode("run", Word(id), Number(openFiles), Number(fileSizeBytes), Number(cpuSeconds));

    /// <summary>Kills a preforked child that will never get a program (a server being retired).</summary>
    public static byte[] Drop(string id) => Encode("drop", Word(id));

    /// <summary>One message from the server: hello PID | ready ID PID | fail ID TEXT | exit ID CODE.</summary>
    public static ServerMessage Parse(ReadOnlySpan<byte> message)
    {
        var words = Encoding.UTF8.GetString(message).Split(' ', 3);
        return words switch
        {
            ["hello", var pid] => new ServerMessage(ServerMessageKind.Hello, "", [ParseNumber(pid)], null),
            ["ready", var id, var pid] => new ServerMessage(ServerMessageKind.Ready, id, [ParseNumber(pid)], null),
            ["fail", var id, var text] => new ServerMessage(ServerMessageKind.Fail, id, [], text.Trim()),
            ["fail", var id] => new ServerMessage(ServerMessageKind.Fail, id, [], ""),
            ["exit", var id, var code] => new ServerMessage(ServerMessageKind.Exit, id, [ParseNumber(code)], null),
            _ => throw new FormatException($"unexpected fork server message '{Encoding.UTF8.GetString(message)}'"),
        };
    }

    private static byte[] Encode(params string[] words) => Encoding.ASCII.GetBytes(string.Join(' ', words));

    private static string Word(string word) =>
        SafeWord().IsMatch(word) ? word : throw new ArgumentException($"'{word}' is not a protocol word", nameof(word));

    private static string Number(long value) =>
        value >= 0 ? value.ToString(CultureInfo.InvariantCulture) : throw new ArgumentOutOfRangeException(nameof(value), value, "must not be negative");

    private static int ParseNumber(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex SafeWord();
}

internal enum ServerMessageKind
{
    Hello,
    Ready,
    Fail,
    Exit,
}

/// <summary>Hello: Numbers = [server pid]; Ready: [the child's pid in the server's namespace]; Exit: [exit code]; Fail: Text.</summary>
internal sealed record ServerMessage(ServerMessageKind Kind, string Id, IReadOnlyList<int> Numbers, string? Text);
