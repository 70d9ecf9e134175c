using Codify.Contracts;

namespace Codify.Sandbox.Supervision;

/// <summary>
/// Runs one cell (an execution with <see cref="ExecutionSpec.SessionId"/>) in its session's live interpreter on this
/// replica. The job handler calls it instead of <see cref="ISandboxRunner"/>; cells otherwise follow the same path
/// (start, output events, cancel, result, telemetry). Never throws for the program's own failures.
/// </summary>
public interface ISessionCellRunner
{
    Task<ExecutionResult> RunCellAsync(string executionId, ExecutionSpec spec, OutputChunkHandler? onOutput, CancellationToken cancellationToken);

    /// <summary>
    /// Frees the session for its next cell when this one ended without running (cancelled before its start, or the run
    /// failed): the API's claim on the session names the cell, and only its end on the replica lets it go.
    /// </summary>
    Task CellNotRunAsync(string executionId, ExecutionSpec spec);
}
