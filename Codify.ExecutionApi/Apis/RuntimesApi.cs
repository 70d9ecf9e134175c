using Codify.Contracts;
using Codify.ExecutionApi.Runtimes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codify.ExecutionApi.Apis;

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
            return ApiProblems.Unavailable(http.Response, RuntimeCatalog.NotPublishedTitle, RuntimeCatalog.NotPublishedDetail);
        }

        return TypedResults.Ok(runtimes);
    }
}
