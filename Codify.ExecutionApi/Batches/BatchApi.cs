using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Callbacks;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Limits;
using Codify.ExecutionApi.Runtimes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Batches;

public static class BatchApi
{
    public static IEndpointRouteBuilder MapBatchApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/execute").WithTags("Executions")
            .MapPost("/batch", CreateBatchAsync)
            .RequireExecutionAdmission()
            .WithName("ExecuteBatch")
            .WithSummary("Queue several executions at once; each is validated on its own and reported in request order.");
        return app;
    }

    public static async Task<Results<Accepted<BatchResponse>, BadRequest<BatchResponse>, ValidationProblem, ProblemHttpResult>> CreateBatchAsync(
        BatchRequest request,
        ExecutionStore store,
        SandboxAvailability sandboxes,
        IOptions<ExecutionOptions> options,
        IOptions<LimitOptions> limitOptions,
        CallbackUrlValidator callbacks,
        RuntimeVersionCheck versions,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        var max = options.Value.MaxBatchSize;
        if (request.Executions is not { Count: > 0 } executions || executions.Count > max)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["executions"] = [$"give between 1 and {max} executions (Executions:MaxBatchSize)"] },
                title: "The batch is invalid.");
        }

        if (!await sandboxes.AnyHealthyAsync())
        {
            return SandboxAvailability.Unavailable(http);
        }

        var items = new List<BatchItem>(executions.Count);
        for (var i = 0; i < executions.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Dictionary<string, string[]> errors = new() { ["executions"] = ["entry is null"] };
            var spec = executions[i] is { } entry ? ExecuteRequestValidator.Validate(entry, options.Value, limitOptions.Value, out errors) : null;
            if (spec is not null && executions[i].CallbackUrl is { } url && await callbacks.ValidateAsync(url, cancellationToken) is { } callbackError)
            {
                errors[CallbackUrlValidator.Field] = [callbackError];
                spec = null;
            }

            if (spec is not null && executions[i].Version is { } version
                && await versions.ResolveAsync(spec.Language, version) is { } outcome && (outcome.Unpublished || outcome.Mismatch is not null))
            {
                errors["version"] = [outcome.Mismatch ?? "the installed runtime versions are not known yet: retry shortly"];
                spec = null;
            }

            if (spec is null)
            {
                var problem = new HttpValidationProblemDetails(errors)
                {
                    Title = $"Execution {i} of the batch is invalid.",
                    Status = StatusCodes.Status400BadRequest,
                };
                items.Add(new BatchItem(i, Problem: problem));
                continue;
            }

            var record = await store.CreateAsync(spec, executions[i].CallbackUrl);
            items.Add(new BatchItem(i, record, $"/api/execute/{record.Id}"));
        }

        var queued = items.Count(i => i.Execution is not null);
        var response = new BatchResponse(queued, items.Count - queued, items);
        return queued > 0 ? TypedResults.Accepted((string?)null, response) : TypedResults.BadRequest(response);
    }
}
