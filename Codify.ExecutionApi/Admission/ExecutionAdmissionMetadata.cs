namespace Codify.ExecutionApi.Admission;

/// <summary>Marks an endpoint that creates executions: <see cref="ExecutionAdmissionMiddleware"/> admits its requests first.</summary>
public sealed class ExecutionAdmissionMetadata
{
    public static readonly ExecutionAdmissionMetadata Instance = new();

    private ExecutionAdmissionMetadata()
    {
    }
}

public static class ExecutionAdmissionEndpointExtensions
{
    /// <summary>Requests to this endpoint spend the client's rate limit and are refused while the queue is full.</summary>
    public static TBuilder RequireExecutionAdmission<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ExecutionAdmissionMetadata.Instance);
}
