using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Batches;
using Codify.ExecutionApi.Intake;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codify.ExecutionApi.Apis;

public static partial class ExecutionsApi
{
    public static async Task<Results<Accepted<BatchResponse>, BadRequest<BatchResponse>, ProblemHttpResult>> ExecuteBatchAsync(
        BatchRequest request, ExecutionIntake intake, HttpContext http, CancellationToken cancellationToken)
    {
        var outcome = await intake.SubmitBatchAsync(request.Executions, ClientIdentity.Of(http), cancellationToken);
        RateLimitHeaders.Write(http.Response, outcome.RateLimit);
        if (outcome is IntakeInvalid invalid)
        {
            return TypedResults.Problem(IntakeProblems.Invalid(invalid, "The batch is invalid."));
        }

        if (outcome is not IntakeBatch batch)
        {
            return IntakeProblems.NotQueued(http.Response, outcome);
        }

        var items = batch.Items.Select((item, i) => item is IntakeQueued queued
            ? new BatchItem(i, queued.Record, $"/api/execute/{queued.Record.Id}")
            : new BatchItem(i, Problem: IntakeProblems.Invalid((IntakeInvalid)item, $"Execution {i} of the batch is invalid."))).ToList();
        var queuedCount = items.Count(i => i.Execution is not null);
        var response = new BatchResponse(queuedCount, items.Count - queuedCount, items);
        return queuedCount > 0 ? TypedResults.Accepted((string?)null, response) : TypedResults.BadRequest(response);
    }
}
