using Codify.Contracts;
using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Cancellation;
using Codify.ExecutionApi.Intake;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Codify.ExecutionApi.Executions;

public static class ExecutionsApi
{
    public static IEndpointRouteBuilder MapExecutionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/execute").WithTags("Executions");

        api.MapPost("/", ExecuteAsync)
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

    public static async Task<Results<Ok<ExecutionRecord>, Accepted<ExecutionRecord>, ProblemHttpResult>> ExecuteAsync(
        ExecuteRequest request, [FromQuery] bool? wait, ExecutionIntake intake, HttpContext http, CancellationToken cancellationToken)
    {
        var outcome = await intake.SubmitAsync(request, ClientIdentity.Of(http), cancellationToken);
        if (outcome is not IntakeQueued queued)
        {
            return IntakeProblems.NotQueued(http.Response, outcome);
        }

        RateLimitHeaders.Write(http.Response, queued.RateLimit);
        var location = $"/api/execute/{queued.Record.Id}";
        if (wait != true)
        {
            return TypedResults.Accepted(location, queued.Record);
        }

        var (latest, _) = await intake.WaitForEndAsync(queued, cancellationToken);
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
