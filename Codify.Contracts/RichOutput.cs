namespace Codify.Contracts;

/// <summary>
/// One rich output of a run, notebook style: <see cref="Type"/> is a MIME type (<c>text/plain</c>, <c>text/html</c>,
/// <c>image/png</c>); <see cref="Data"/> is the text itself, or base64 for binary types.
/// </summary>
public sealed record RichOutput(string Type, string Data);
