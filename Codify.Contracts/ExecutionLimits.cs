namespace Codify.Contracts;

/// <summary>The hard limits one run gets; every value already checked against the server maxima.</summary>
public sealed record ExecutionLimits(
    int WallTimeMs,
    int CpuTimeMs,
    long MemoryBytes,
    int Processes,
    long OutputBytes,
    long FileSizeBytes);
