using Codify.Contracts;
using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Intake;
using Codify.ExecutionApi.Limits;
using Codify.ExecutionApi.OpenApi;
using Codify.ExecutionApi.Piston.Connect;
using Codify.ExecutionApi.Runtimes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Piston;

/// <summary>
/// Piston's v2 API (<c>/api/v2/runtimes</c>, <c>/api/v2/execute</c>, the WebSocket <c>/api/v2/connect</c>) on top of the
/// same queue and Sandbox, so that existing Piston clients work unchanged. Execution is synchronous, as in Piston.
/// </summary>
public static class PistonApi
{
    /// <summary>Piston names the interpreter when a language could have several; Codify has one per language.</summary>
    private static readonly Dictionary<string, string> RuntimeNames = new(StringComparer.Ordinal) { ["javascript"] = "node" };

    public static IEndpointRouteBuilder MapPistonApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v2").WithTags("Piston compatibility");
        api.MapGet("/runtimes", GetRuntimesAsync)
            .WithName("PistonRuntimes")
            .WithSummary("Piston-compatible list of the installed runtimes.");
        api.MapPost("/execute", ExecuteAsync)
            .WithName("PistonExecute")
            .WithSummary("Piston-compatible synchronous execution: queues the run and answers with its result.")
            .DescribesJsonBody<RouteHandlerBuilder, PistonExecuteRequest>();
        api.MapGet("/connect", PistonConnectApi.ConnectAsync)
            .WithName("PistonConnect")
            .ExcludeFromDescription(); // a WebSocket: see the README for its messages
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<PistonRuntime>>, ProblemHttpResult>> GetRuntimesAsync(
        RuntimeCatalog catalog, HttpContext http, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var runtimes = await catalog.GetAllAsync();
        if (runtimes.Count == 0)
        {
            RetryAfter.Set(http.Response, RetryAfter.UnavailableSeconds);
            return NotPublished();
        }

        return TypedResults.Ok<IReadOnlyList<PistonRuntime>>(
            [.. runtimes.Select(r => new PistonRuntime(r.Language, r.Version, r.Aliases, RuntimeNames.GetValueOrDefault(r.Language)))]);
    }

    public static async Task<Results<Ok<PistonExecuteResponse>, ProblemHttpResult>> ExecuteAsync(
        HttpContext http,
        ExecutionIntake intake,
        IOptions<ExecutionOptions> options,
        IOptions<LimitOptions> limitOptions,
        IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        var (request, unreadable) = await PistonRequestReader.ReadAsync(http.Request, json.Value.SerializerOptions, cancellationToken);
        if (request is null)
        {
            return unreadable!;
        }

        var errors = new Dictionary<string, string[]>();
        if (PistonRequestMapper.Map(request, options.Value, limitOptions.Value, errors) is not { } mapped)
        {
            return PistonProblems.Invalid(PistonRequestMapper.ToPistonFields(errors));
        }

        var outcome = await intake.SubmitAsync(mapped, ClientIdentity.Of(http), cancellationToken);
        RateLimitHeaders.Write(http.Response, outcome.RateLimit);
        switch (outcome)
        {
            case IntakeInvalid invalid:
                return PistonProblems.Invalid(PistonRequestMapper.ToPistonFields(invalid.Errors, request));
            case IntakeRefused refused:
                RetryAfter.Set(http.Response, refused.RetryAfterSeconds);
                return PistonProblems.Of(refused.StatusCode, refused.Title, refused.Detail);
        }

        var queued = (IntakeQueued)outcome;
        var (latest, bound) = await intake.WaitForEndAsync(queued, cancellationToken);
        if (!latest.Status.IsTerminal())
        {
            var id = queued.Record.Id;
            return PistonProblems.Of(StatusCodes.Status504GatewayTimeout, "Execution did not finish in time",
                $"execution {id} is still {latest.Status.ToWire()} after {bound.TotalSeconds} s; poll GET /api/execute/{id}",
                new Dictionary<string, object?> { ["id"] = id });
        }

        return TypedResults.Ok(new PistonExecuteResponse(queued.Spec.Language, queued.Runtime!.Version, PistonResultMapper.ToRun(latest)));
    }

    private static ProblemHttpResult NotPublished() =>
        PistonProblems.Of(StatusCodes.Status503ServiceUnavailable, RuntimeCatalog.NotPublishedTitle, RuntimeCatalog.NotPublishedDetail);
}
