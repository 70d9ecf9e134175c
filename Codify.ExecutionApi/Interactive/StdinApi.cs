using Microsoft.AspNetCore.Http.HttpResults;

namespace Codify.ExecutionApi.Interactive;

/// <summary><c>POST /api/execute/{id}/stdin</c>: more standard input for an execution created with <c>"interactive": true</c>.</summary>
public static class StdinApi
{
    public static RouteGroupBuilder MapExecutionStdin(this RouteGroupBuilder api)
    {
        api.MapPost("/{id}/stdin", SendAsync)
            .WithName("SendStdin")
            .WithSummary("Send standard input to an interactive execution (queued or running); \"eof\": true closes it.");
        return api;
    }

    public static async Task<Results<Accepted<StdinResponse>, ValidationProblem, ProblemHttpResult>> SendAsync(
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
            StdinSendOutcome.NotFound => TypedResults.Problem(relay.Explain(id, outcome), statusCode: StatusCodes.Status404NotFound,
                title: "Execution not found"),
            _ => TypedResults.Problem(relay.Explain(id, outcome), statusCode: StatusCodes.Status409Conflict,
                title: "Standard input is closed"),
        };
    }
}
