using Codify.Contracts;

namespace Codify.Sandbox.Supervision;

/// <summary>Runs one program isolated and reports what happened. Never throws for the program's own failures.</summary>
public interface ISandboxRunner
{
    Task<ExecutionResult> RunAsync(string executionId, ExecutionSpec spec, CancellationToken cancellationToken);

    /// <summary>
    /// The same, handing each output chunk to <paramref name="onOutput"/> as the program produces it and, for an
    /// interactive run, writing what <paramref name="stdin"/> delivers to the program's stdin after the spec's own.
    /// </summary>
    Task<ExecutionResult> RunAsync(string executionId, ExecutionSpec spec, OutputChunkHandler? onOutput, IStdinFeed? stdin,
        CancellationToken cancellationToken);
}
