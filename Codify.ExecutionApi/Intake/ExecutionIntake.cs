using Codify.Contracts;
using Codify.ExecutionApi.Admission;
using Codify.ExecutionApi.Executions;
using Codify.ExecutionApi.Health;
using Codify.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Intake;

/// <summary>
/// The one way an execution enters Codify, whatever the transport (REST, batch, Piston, WebSockets). The checks run in
/// one order: the client's budget (rate limit, queue cap), the request (fields and limits, callbackUrl, runtime version),
/// a sandbox that can isolate, then the record and its job in one MULTI. A Redis failure at any step is a refusal.
/// </summary>
public sealed partial class ExecutionIntake(
    ExecutionBudget budget,
    RequestJudge judge,
    ExecutionStore store,
    IOptions<ExecutionOptions> options,
    IOptions<RedisClientOptions> redisOptions,
    AdmissionMetrics metrics,
    IHostApplicationLifetime lifetime,
    ILogger<ExecutionIntake> logger)
{
    /// <summary>Submits one execution for <paramref name="client"/> (a <see cref="ClientIdentity"/> partition).</summary>
    public Task<IntakeOutcome> SubmitAsync(ExecuteRequest request, string client, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var (decision, refusal, sandboxReady) = await budget.SpendAsync(client);
            var outcome = refusal ?? await QueueAsync(request, sandboxReady, cancellationToken);
            return outcome with { RateLimit = decision };
        });

    /// <summary>
    /// Submits a batch as one spend of the budget. Each entry is judged on its own; the valid ones are queued only when a
    /// sandbox is there, so a batch is either refused whole or reported entry by entry in request order.
    /// </summary>
    public Task<IntakeOutcome> SubmitBatchAsync(IReadOnlyList<ExecuteRequest?>? requests, string client, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var (decision, refusal, sandboxReady) = await budget.SpendAsync(client);
            if (refusal is not null)
            {
                return refusal with { RateLimit = decision };
            }

            var max = options.Value.MaxBatchSize;
            if (requests is not { Count: > 0 } || requests.Count > max)
            {
                return new IntakeInvalid(new() { ["executions"] = [$"give between 1 and {max} executions (Executions:MaxBatchSize)"] })
                { RateLimit = decision };
            }

            var judged = new List<(ExecutionSpec? Spec, ExecuteRequest? Request, IntakeOutcome? Refusal)>(requests.Count);
            foreach (var request in requests)
            {
                var (spec, _, why) = request is null
                    ? (null, null, new IntakeInvalid(new() { ["executions"] = ["entry is null"] }))
                    : await judge.JudgeAsync(request, cancellationToken);
                if (why is IntakeRefused unknowable) // e.g. no runtimes published: not the entry's fault, so the whole batch waits
                {
                    return unknowable with { RateLimit = decision };
                }

                judged.Add((spec, request, why));
            }

            if (judged.Any(j => j.Spec is not null) && !sandboxReady)
            {
                return IntakeRefusals.NoSandbox() with { RateLimit = decision };
            }

            var items = new List<IntakeOutcome>(judged.Count);
            foreach (var (spec, request, why) in judged)
            {
                items.Add(spec is null ? why! : new IntakeQueued(await store.CreateAsync(spec, request!.CallbackUrl), spec, null));
            }

            return new IntakeBatch(items) { RateLimit = decision };
        });

    /// <summary>
    /// For synchronous transports: the record once it has ended, or its latest state when the run's wall limit plus slack
    /// passes, or at once when the API starts to stop (the client gets the state and where to poll, not a cut connection).
    /// </summary>
    public async Task<(ExecutionRecord Latest, TimeSpan Bound)> WaitForEndAsync(IntakeQueued queued, CancellationToken cancellationToken)
    {
        var bound = TimeSpan.FromMilliseconds(queued.Spec.Limits.WallTimeMs) + TimeSpan.FromSeconds(options.Value.WaitSlackSeconds);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            return (await store.WaitForEndAsync(queued.Record.Id, bound, waiting.Token) ?? queued.Record, bound);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (await store.GetAsync(queued.Record.Id) ?? queued.Record, bound);
        }
    }

    private async Task<IntakeOutcome> QueueAsync(ExecuteRequest request, bool sandboxReady, CancellationToken cancellationToken)
    {
        var (spec, runtime, why) = await judge.JudgeAsync(request, cancellationToken);
        if (spec is null)
        {
            return why!;
        }

        if (!sandboxReady)
        {
            return IntakeRefusals.NoSandbox();
        }

        return new IntakeQueued(await store.CreateAsync(spec, request.CallbackUrl), spec, runtime);
    }

    private async Task<IntakeOutcome> GuardAsync(Func<Task<IntakeOutcome>> submit)
    {
        try
        {
            var outcome = await submit();
            if (outcome is IntakeRefused refused)
            {
                metrics.Rejected(refused.Reason);
            }

            return outcome;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogRedisUnavailable(logger, e);
            metrics.Rejected("redis_unavailable");
            return IntakeRefusals.RedisUnavailable(RedisFailure.Describe(e, TimeSpan.FromMilliseconds(redisOptions.Value.TimeoutMs)));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable for a submission; answering 503")]
    private static partial void LogRedisUnavailable(ILogger logger, Exception exception);
}
