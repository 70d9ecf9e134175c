using Codify.Contracts;
using Codify.ExecutionApi.Intake;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codify.ExecutionApi.Runtimes;

public static class RuntimesApi
{
    public static IEndpointRouteBuilder MapRuntimesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/runtimes", GetRuntimesAsync)
            .WithTags("Runtimes")
            .WithName("GetRuntimes")
            .WithSummary("The installed languages: real interpreter version (as the Sandbox read it at start-up), aliases, file extension.");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<RuntimeInfo>>, ProblemHttpResult>> GetRuntimesAsync(
        RuntimeCatalog catalog, HttpContext http, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var runtimes = await catalog.GetAllAsync();
        if (runtimes.Count == 0)
        {
            http.Response.Headers.RetryAfter = "5";
            return NotPublished();
        }

        return TypedResults.Ok(runtimes);
    }

    /// <summary>503: no Sandbox replica has published its runtimes yet (none started, or Redis lost them).</summary>
    private static ProblemHttpResult NotPublished() => TypedResults.Problem(
        IntakeRefusals.RuntimesUnknownDetail, statusCode: StatusCodes.Status503ServiceUnavailable, title: IntakeRefusals.RuntimesUnknownTitle);
}
