using Codify.Contracts;
using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Intake;
using Codify.ExecutionApi.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Codify.ExecutionApi.Apis;

/// <summary>
/// <c>/api/execute</c>: create (one, or a batch), read, list, cancel, follow and feed executions. The handlers live in
/// this class's other files (ExecutionsApi.Batch.cs, .List.cs, .Cancel.cs, .Events.cs, .Stdin.cs).
/// </summary>
public static partial class ExecutionsApi
{
    public static RouteGroupBuilder MapExecutionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/execute").WithTags("Executions");

        api.MapPost("/", ExecuteAsync)
            .WithName("Execute")
            .WithSummary("Queue one execution; with wait=true, answer with its final result.");
        api.MapPost("/batch", ExecuteBatchAsync)
            .WithName("ExecuteBatch")
            .WithSummary("Queue several executions at once; each is validated on its own and reported in request order.");
        api.MapGet("/", ListAsync)
            .WithName("ListExecutions")
            .WithSummary("Newest executions first, with cursor paging and status/language filters; or several by ?ids=a,b.");
        api.MapGet("/{id}", GetAsync)
            .WithName("GetExecution")
            .WithSummary("Read one execution record.");
        api.MapDelete("/{id}", CancelAsync)
            .WithName("CancelExecution")
            .WithSummary("Cancel one execution: a queued one never runs, a running one is killed; a finished one is left as it was.");
        api.MapGet("/{id}/events", StreamEventsAsync)
            .WithName("ExecutionEvents")
            .WithSummary("Stream one execution's events (queued, started, stdout, stderr, completed) as Server-Sent Events; Last-Event-ID resumes.");
        api.MapPost("/{id}/stdin", SendStdinAsync)
            .WithName("SendStdin")
            .WithSummary("Send standard input to an interactive execution (queued or running); \"eof\": true closes it.");

        return api;
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
        ApiTelemetry.WaitedFor(latest);
        return latest.Status.IsTerminal() ? TypedResults.Ok(latest) : TypedResults.Accepted(location, latest);
    }

    public static async Task<Results<Ok<ExecutionRecord>, ProblemHttpResult>> GetAsync(
        string id, ExecutionStore store, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return await store.GetAsync(id) is { } record ? TypedResults.Ok(record) : ApiProblems.NotFound(id);
    }
}
