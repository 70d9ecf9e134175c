using System.Diagnostics;
using Codify.Contracts;
using Codify.Sandbox.Isolation;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.Sandbox.Jobs;

/// <summary>Handles one stream entry from start to acknowledgement, whatever state its record is in.</summary>
public sealed partial class JobHandler(
    JobFeed queue,
    ExecutionRepository executions,
    ISandboxRunner runner,
    InFlightJobs inFlight,
    RunningJobs running,
    CancelRequests cancels,
    IOptions<SandboxOptions> options,
    IConnectionMultiplexer redis,
    ILogger<JobHandler> logger)
{
    private static readonly ActivitySource Source = new(Extensions.CodifyActivitySource);

    public async Task HandleAsync(StreamEntry entry)
    {
        var id = entry.Values is null ? "" : entry[JobFields.ExecutionId].ToString();
        if (string.IsNullOrEmpty(id))
        {
            // Not a job of ours: drop it rather than retry it forever.
            await queue.CompleteAsync(entry.Id);
            return;
        }

        ActivityContext.TryParse(entry[JobFields.TraceParent], null, out var parent);
        using var activity = Source.StartActivity("sandbox execute", ActivityKind.Consumer, parent);
        activity?.SetTag("codify.execution.id", id);
        inFlight.Add(entry.Id);
        try
        {
            await HandleRecordAsync(id);
            await queue.CompleteAsync(entry.Id);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Left pending: once idle, a replica reclaims it and ends the record properly.
            LogRedisFailure(logger, id, e);
        }
        finally
        {
            inFlight.Remove(entry.Id);
        }
    }

    private async Task HandleRecordAsync(string id)
    {
        var (status, spec) = await executions.LoadAsync(id);
        switch (status)
        {
            case ExecutionStatus.Queued when spec is not null:
                await RunAsync(id, spec);
                break;
            case ExecutionStatus.Queued:
                await FailUnreadableAsync(id);
                break;
            case ExecutionStatus.Running:
                // Reached only through a reclaim: the worker that started it is gone (a cancel asked meanwhile still counts).
                if (await cancels.IsRequestedAsync(id))
                {
                    await executions.TryFinishAsync(id, worker: "", CancelRequests.WorkerLost);
                }
                else if (await executions.TryFailLostAsync(id))
                {
                    LogLost(logger, id);
                }

                break;
            default:
                // Expired, cancelled before it ran, or already finished: nothing to do but acknowledge.
                break;
        }
    }

    private async Task RunAsync(string id, ExecutionSpec spec)
    {
        var worker = options.Value.ConsumerName;
        // Registered before the start: a cancel sent once the record is running always finds this run.
        using var run = running.TryRegister(id);
        if (run is null || !await executions.TryStartAsync(id, worker))
        {
            return;
        }

        var output = new OutputPublisher(executions, id);
        ExecutionResult result;
        try
        {
            // A cancel that raced the start (or whose message was lost) ends it before the program starts.
            result = run.Token.IsCancellationRequested || await cancels.IsRequestedAsync(id)
                ? CancelRequests.BeforeStart
                : await runner.RunAsync(id, spec, output.OnChunk, spec.Interactive ? new RedisStdinFeed(redis, id) : null, run.Token);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            LogRunFailed(logger, id, e);
            result = ExecutionResult.InternalError($"sandbox failed to run the program: {e.Message}");
        }

        Activity.Current?.SetTag("codify.execution.status", result.Status.ToWire());
        await output.DrainAsync();
        await executions.TryFinishAsync(id, worker, result);
    }

    private async Task FailUnreadableAsync(string id)
    {
        if (await executions.TryStartAsync(id, options.Value.ConsumerName))
        {
            await executions.TryFinishAsync(id, options.Value.ConsumerName, ExecutionResult.InternalError("execution record has no readable program"));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId} was running on a lost worker; marked internal_error")]
    private static partial void LogLost(ILogger logger, string executionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Execution {ExecutionId} could not be run")]
    private static partial void LogRunFailed(ILogger logger, string executionId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis failed while handling {ExecutionId}; the entry stays pending for reclaim")]
    private static partial void LogRedisFailure(ILogger logger, string executionId, Exception exception);
}
