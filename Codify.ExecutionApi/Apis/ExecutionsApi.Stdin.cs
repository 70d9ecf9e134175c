using Codify.ExecutionApi.Interactive;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Codify.ExecutionApi.Apis;

/// <summary><c>POST /api/execute/{id}/stdin</c>: more standard input for an execution created with <c>"interactive": true</c>.</summary>
public static partial class ExecutionsApi
{
    public static async Task<Results<Accepted<StdinResponse>, ValidationProblem, ProblemHttpResult>> SendStdinAsync(
        string id,
        StdinRequest request,
        StdinRelay relay,
        CancellationToken cancellationToken)
    {
        if (request.Data is null && !request.Eof)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["data"] = ["data is required (a string; may be empty when eof is true)"],
            });
        }

        var outcome = await relay.SendAsync(id, request.Data ?? "", request.Eof, cancellationToken);
        return outcome switch
        {
            StdinSendOutcome.Sent => TypedResults.Accepted($"/api/execute/{id}", new StdinResponse(id, request.Eof)),
            StdinSendOutcome.TooLarge => TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["data"] = [relay.Explain(id, outcome)],
            }),
            StdinSendOutcome.NotFound => ApiProblems.NotFound(id),
            _ => TypedResults.Problem(relay.Explain(id, outcome), statusCode: StatusCodes.Status409Conflict,
                title: "Standard input is closed"),
        };
    }
}
