using Codify.ExecutionApi.Limits;

namespace Codify.ExecutionApi.Executions;

/// <summary>Body of <c>POST /api/execute</c>.</summary>
public sealed record ExecuteRequest
{
    /// <summary>The program's source.</summary>
    public string? Code { get; init; }

    /// <summary><c>python</c> or <c>javascript</c> (aliases <c>py</c>, <c>js</c>, <c>node</c>).</summary>
    public string? Language { get; init; }

    /// <summary>Wall-clock limit in seconds, at most EXECUTION_TIMEOUT_MAX.</summary>
    public double? Timeout { get; init; }

    /// <summary>Standard input given to the program.</summary>
    public string? Stdin { get; init; }

    /// <summary>When given, a clean exit is judged: <c>accepted</c> if stdout matches (trailing whitespace ignored), else <c>wrong_answer</c>.</summary>
    public string? ExpectedOutput { get; init; }

    /// <summary>Optional per-run limits (cpu, wall, memory, processes, output), each at most the server maximum.</summary>
    public RequestedLimits? Limits { get; init; }
}
