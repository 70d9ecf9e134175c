using Codify.ExecutionApi.Executions;

namespace Codify.ExecutionApi.Batches;

/// <summary>Body of <c>POST /api/execute/batch</c>: up to <see cref="ExecutionOptions.MaxBatchSize"/> executions, each judged on its own.</summary>
public sealed record BatchRequest(IReadOnlyList<ExecuteRequest>? Executions);

/// <summary>One entry per requested execution, in request order: either the queued record or the problem with that entry.</summary>
public sealed record BatchItem(int Index, Codify.Contracts.ExecutionRecord? Execution = null, string? Location = null, HttpValidationProblemDetails? Problem = null);

public sealed record BatchResponse(int Queued, int Rejected, IReadOnlyList<BatchItem> Items);
