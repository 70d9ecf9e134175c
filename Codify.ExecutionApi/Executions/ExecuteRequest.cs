using Codify.Contracts;
using Codify.ExecutionApi.Limits;

namespace Codify.ExecutionApi.Executions;

/// <summary>Body of <c>POST /api/execute</c>.</summary>
public sealed record ExecuteRequest
{
    /// <summary>The program's source (or give <see cref="Files"/>).</summary>
    public string? Code { get; init; }

    /// <summary>Several files instead of <see cref="Code"/>: the first is the entry point.</summary>
    public IReadOnlyList<SourceFile>? Files { get; init; }

    /// <summary>Command-line arguments given to the program.</summary>
    public IReadOnlyList<string>? Args { get; init; }

    /// <summary>Optional runtime version the client expects (a prefix such as "3" or "3.11"); checked against the installed interpreter.</summary>
    public string? Version { get; init; }

    /// <summary>Where the final result is POSTed (signed) once the execution ends.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary><c>python</c> or <c>javascript</c> (aliases <c>py</c>, <c>js</c>, <c>node</c>).</summary>
    public string? Language { get; init; }

    /// <summary>Wall-clock limit in seconds, at most EXECUTION_TIMEOUT_MAX.</summary>
    public double? Timeout { get; init; }

    /// <summary>Standard input given to the program.</summary>
    public string? Stdin { get; init; }

    /// <summary>Keep standard input open after <see cref="Stdin"/>: more is sent while the program runs (<c>POST /api/execute/{id}/stdin</c> or a WebSocket <c>stdin</c> message).</summary>
    public bool Interactive { get; init; }

    /// <summary>When given, a clean exit is judged: <c>accepted</c> if stdout matches (trailing whitespace ignored), else <c>wrong_answer</c>.</summary>
    public string? ExpectedOutput { get; init; }

    /// <summary>
    /// Return rich outputs in <c>outputs</c>: python's matplotlib figures (PNG, at each <c>plt.show()</c> and every figure
    /// open at the end) and the value of the main file's trailing expression as a notebook shows it. Node returns none.
    /// </summary>
    public bool Outputs { get; init; }

    /// <summary>Return the regular files the program wrote in its work dir in <c>files</c> (names, sizes, base64), capped.</summary>
    public bool ReturnFiles { get; init; }

    /// <summary>Optional per-run limits (cpu, wall, memory, processes, output), each at most the server maximum.</summary>
    public RequestedLimits? Limits { get; init; }
}
