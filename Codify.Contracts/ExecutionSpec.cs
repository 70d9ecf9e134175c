namespace Codify.Contracts;

/// <summary>What the Sandbox needs to run one execution. Stored in the execution record, not in the stream entry.</summary>
public sealed record ExecutionSpec(
    string Language,
    string Code,
    string? Stdin,
    ExecutionLimits Limits);
