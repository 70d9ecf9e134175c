using Codify.Contracts;

namespace Codify.ExecutionApi.Cancellation;

/// <summary>
/// What <c>DELETE /api/execute/{id}</c> answers, in every case: whether the execution is now cancelled, why (in words),
/// and the record as it stands.
/// </summary>
public sealed record CancelResponse(bool Cancelled, string Message, ExecutionRecord Execution);
