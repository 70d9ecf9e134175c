namespace Codify.Contracts;

/// <summary>
/// What the Sandbox needs to run one execution. Stored in the execution record, not in the stream entry.
/// With <see cref="ExpectedOutput"/>, a clean exit is judged <c>accepted</c> or <c>wrong_answer</c> instead of <c>completed</c>.
/// With <see cref="Files"/>, the first file is the entry point and <see cref="Code"/> is its content.
/// With <see cref="Interactive"/>, standard input stays open after <see cref="Stdin"/>: more arrives while the program
/// runs (see <see cref="StdinScript"/>) until the client closes it.
/// With <see cref="Outputs"/>, the result carries rich outputs; with <see cref="ReturnFiles"/>, the files the program wrote.
/// With <see cref="SessionId"/>, it is a cell of that session: it runs in the session's live interpreter on the session's
/// replica (its job goes to that replica's session stream, <see cref="RedisKeys.SessionRequests"/>).
/// </summary>
public sealed record ExecutionSpec(
    string Language,
    string Code,
    string? Stdin,
    ExecutionLimits Limits,
    string? ExpectedOutput = null,
    IReadOnlyList<SourceFile>? Files = null,
    IReadOnlyList<string>? Args = null,
    bool Interactive = false,
    bool Outputs = false,
    bool ReturnFiles = false,
    string? SessionId = null)
{
    /// <summary>Whether the run's sandbox needs the capture channel (see Codify.Sandbox's Capture room).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Captures => Outputs || ReturnFiles;

    /// <summary>The files to place in the work dir, entry point first.</summary>
    public IReadOnlyList<SourceFile> ProgramFiles(LanguageInfo language) =>
        Files is { Count: > 0 } files ? files : [new SourceFile(language.FileName, Code)];
}
