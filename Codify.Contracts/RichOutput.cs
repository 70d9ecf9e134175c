namespace Codify.Contracts;

/// <summary>
/// One rich output of a run, as a notebook shows it: <c>image/png</c> (base64), <c>text/html</c> or <c>text/plain</c>.
/// Produced by the sandbox's capture (matplotlib figures, the value of a trailing expression), parsed by the Sandbox
/// service with caps: never part of stdout.
/// </summary>
public sealed record RichOutput(string Type, string Data)
{
    public const string Png = "image/png";
    public const string Html = "text/html";
    public const string Text = "text/plain";

    /// <summary>The only types a run may return: anything else a program writes to the channel is dropped.</summary>
    public static bool IsKnownType(string? type) => type is Png or Html or Text;
}
