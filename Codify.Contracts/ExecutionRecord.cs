namespace Codify.Contracts;

/// <summary>The public view of one execution: what <c>GET /api/execute/{id}</c> returns.</summary>
public sealed record ExecutionRecord
{
    public required string Id { get; init; }
    public required ExecutionStatus Status { get; init; }
    public required string Language { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public long? QueueWaitMs { get; init; }
    public ExecutionResult? Result { get; init; }
}
