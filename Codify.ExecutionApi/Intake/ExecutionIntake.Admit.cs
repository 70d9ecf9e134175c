using Codify.Contracts;
using Codify.ExecutionApi.Executions;

namespace Codify.ExecutionApi.Intake;

public sealed partial class ExecutionIntake
{
    /// <summary>
    /// The intake's steps for work that is not a plain queued execution (a session, a session's cell): the client's budget,
    /// the request judged by the same rules, a sandbox that can isolate, then <paramref name="admitted"/> with the judged
    /// spec (it stores the work, or refuses with an outcome of its own). Redis failures and refusals count as for executions.
    /// </summary>
    public Task<IntakeOutcome> AdmitAsync(
        ExecuteRequest request, string client, Func<ExecutionSpec, Task<IntakeOutcome>> admitted, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var (decision, refusal, sandboxReady) = await budget.SpendAsync(client);
            if (refusal is not null)
            {
                return refusal with { RateLimit = decision };
            }

            var (spec, _, why) = await judge.JudgeAsync(request, cancellationToken);
            if (spec is null)
            {
                return why! with { RateLimit = decision };
            }

            if (!sandboxReady)
            {
                return IntakeRefusals.NoSandbox() with { RateLimit = decision };
            }

            return await admitted(spec) with { RateLimit = decision };
        });
}
