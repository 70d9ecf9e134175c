namespace Codify.Contracts;

/// <summary>
/// One rich output of a run, notebook style: <see cref="Type"/> is a MIME type (<c>text/plain</c>, <c>text/html</c>,
/// <c>image/png</c>); <see cref="Data"/> is the text itself, or base64 for binary types. Produced by the sandbox's capture
/// (matplotlib figures, the value of a trailing expression), parsed by the Sandbox service with caps: never part of stdout.
/// </summary>
public sealed record RichOutput(string Type, string Data)
{
    public const string Png = "image/png";
    public const string Html = "text/html";
    public const string Text = "text/plain";

    /// <summary>The only types a run may return: anything else a program writes to the channel is dropped.</summary>
    public static bool IsKnownType(string? type) => type is Png or Html or Text;
}
