using Codify.Contracts;
using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Callbacks;
using Codify.ExecutionApi.Cancellation;
using Codify.ExecutionApi.Limits;
using Codify.ExecutionApi.Runtimes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Executions;

public static class ExecutionsApi
{
    public static IEndpointRouteBuilder MapExecutionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/execute").WithTags("Executions");

        api.MapPost("/", ExecuteAsync)
            .RequireExecutionAdmission()
            .AddEndpointFilter<CallbackUrlFilter>()
            .WithName("Execute")
            .WithSummary("Queue one execution; with wait=true, answer with its final result.");
        api.MapGet("/{id}", GetAsync)
            .WithName("GetExecution")
            .WithSummary("Read one execution record.");
        api.MapCancelExecution();
        Streaming.EventsApi.MapExecutionEvents(api);
        Interactive.StdinApi.MapExecutionStdin(api);
        return app;
    }

    public static async Task<Results<Ok<ExecutionRecord>, Accepted<ExecutionRecord>, ValidationProblem, ProblemHttpResult>> ExecuteAsync(
        ExecuteRequest request,
        [FromQuery] bool? wait,
        ExecutionStore store,
        SandboxAvailability sandboxes,
        RuntimeVersionCheck versions,
        IOptions<ExecutionOptions> options,
        IOptions<LimitOptions> limitOptions,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        if (ExecuteRequestValidator.Validate(request, options.Value, limitOptions.Value, out var errors) is not { } spec)
        {
            return TypedResults.ValidationProblem(errors, title: "The execution request is invalid.");
        }

        if (await versions.CheckAsync(spec.Language, request.Version) is { } versionProblem)
        {
            return versionProblem;
        }

        if (!await sandboxes.AnyHealthyAsync())
        {
            return SandboxAvailability.Unavailable(http);
        }

        var record = await store.CreateAsync(spec, request.CallbackUrl);
        var location = $"/api/execute/{record.Id}";
        if (wait != true)
        {
            return TypedResults.Accepted(location, record);
        }

        var bound = TimeSpan.FromMilliseconds(spec.Limits.WallTimeMs) + TimeSpan.FromSeconds(options.Value.WaitSlackSeconds);
        var latest = await store.WaitForEndAsync(record.Id, bound, cancellationToken) ?? record;
        return latest.Status.IsTerminal() ? TypedResults.Ok(latest) : TypedResults.Accepted(location, latest);
    }

    public static async Task<Results<Ok<ExecutionRecord>, ProblemHttpResult>> GetAsync(
        string id, ExecutionStore store, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return await store.GetAsync(id) is { } record
            ? TypedResults.Ok(record)
            : TypedResults.Problem($"No execution with id '{id}' exists (or it has expired).",
                statusCode: StatusCodes.Status404NotFound, title: "Execution not found");
    }
}
