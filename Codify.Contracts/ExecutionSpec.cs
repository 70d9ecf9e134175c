namespace Codify.Contracts;

/// <summary>
/// What the Sandbox needs to run one execution. Stored in the execution record, not in the stream entry.
/// With <see cref="ExpectedOutput"/>, a clean exit is judged <c>accepted</c> or <c>wrong_answer</c> instead of <c>completed</c>.
/// </summary>
public sealed record ExecutionSpec(
    string Language,
    string Code,
    string? Stdin,
    ExecutionLimits Limits,
    string? ExpectedOutput = null);
