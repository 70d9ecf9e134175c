using Codify.Contracts;
using Codify.ExecutionApi.Cancellation;
using Codify.ExecutionApi.Executions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Codify.ExecutionApi.Apis;

/// <summary><c>DELETE /api/execute/{id}</c>: a queued execution never runs, a running one is killed, a finished one is left alone.</summary>
public static partial class ExecutionsApi
{
    public static async Task<Results<Ok<CancelResponse>, Accepted<CancelResponse>, ProblemHttpResult>> CancelAsync(
        string id,
        ExecutionCanceller canceller,
        ExecutionStore store,
        IOptions<CancelOptions> options,
        CancellationToken cancellationToken)
    {
        var outcome = await canceller.CancelAsync(id);
        var record = outcome switch
        {
            CancelOutcome.NotFound => null,
            // Bounded: the kill goes on after the answer; a 202 says so and where to look.
            CancelOutcome.KillRequested => await store.WaitForEndAsync(id, TimeSpan.FromMilliseconds(options.Value.WaitMilliseconds), cancellationToken),
            _ => await store.GetAsync(id),
        };
        if (record is null)
        {
            return ApiProblems.NotFound(id);
        }

        if (!record.Status.IsTerminal())
        {
            return TypedResults.Accepted($"/api/execute/{id}", new CancelResponse(false,
                "cancel requested: the execution is being killed; poll its Location for the final state", record));
        }

        return TypedResults.Ok(DescribeCancel(outcome, record));
    }

    private static CancelResponse DescribeCancel(CancelOutcome outcome, ExecutionRecord record)
    {
        var status = record.Status.ToWire();
        var message = (outcome, record.Status) switch
        {
            (CancelOutcome.CancelledWhileQueued, _) => ExecutionCanceller.QueuedMessage,
            (CancelOutcome.KillRequested, ExecutionStatus.Cancelled) => "cancelled while running: its processes were killed",
            (CancelOutcome.KillRequested, _) => $"execution finished ({status}) before the cancel took effect; left as it was",
            (_, ExecutionStatus.Cancelled) => "already cancelled; nothing to do",
            _ => $"execution already finished ({status}); left as it was",
        };
        return new CancelResponse(record.Status == ExecutionStatus.Cancelled, message, record);
    }
}
