using Codify.Contracts;
using Codify.Hosting;
using Codify.Sandbox.Supervision;
using Codify.Sandbox.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.Sandbox.Jobs;

/// <summary>Handles one stream entry from start to acknowledgement, whatever state its record is in.</summary>
public sealed partial class JobHandler(
    JobFeed queue,
    ExecutionRepository executions,
    ISandboxRunner runner,
    ISessionCellRunner cells,
    InFlightJobs inFlight,
    RunningJobs running,
    CancelRequests cancels,
    IOptions<SandboxOptions> options,
    IConnectionMultiplexer redis,
    SandboxTelemetry telemetry,
    TimeProvider time,
    ILogger<JobHandler> logger)
{
    public Task HandleAsync(StreamEntry entry) => HandleAsync(entry, queue);

    /// <summary>Handles an entry of <paramref name="feed"/>: the shared job stream, or this replica's session stream (cells).</summary>
    public async Task HandleAsync(StreamEntry entry, StreamConsumerGroup feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var id = entry.Values is null ? "" : entry[JobFields.ExecutionId].ToString();
        if (string.IsNullOrEmpty(id))
        {
            // Not a job of ours: drop it rather than retry it forever.
            await feed.CompleteAsync(entry.Id);
            return;
        }

        // Every log line about this execution, whichever class writes it, carries its id.
        using var logScope = logger.BeginScope(new Dictionary<string, object> { [CodifyTelemetry.ExecutionIdProperty] = id });
        using var trace = telemetry.Begin(id, entry[JobFields.TraceParent]);
        // Only the shared stream's entries are kept fresh by the heartbeat (another stream's ids could name other entries there).
        var shared = ReferenceEquals(feed, queue);
        if (shared)
        {
            inFlight.Add(entry.Id);
        }

        try
        {
            await HandleRecordAsync(id, trace);
            await feed.CompleteAsync(entry.Id);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Left pending: once idle, a replica reclaims it and ends the record properly.
            LogRedisFailure(logger, id, e);
            trace.LeftPending(e);
        }
        finally
        {
            if (shared)
            {
                inFlight.Remove(entry.Id);
            }
        }
    }

    private async Task HandleRecordAsync(string id, ExecutionTrace trace)
    {
        // Registered before the start: a cancel sent once the record is running always finds this run.
        using var run = running.TryRegister(id);
        var startedAt = time.GetUtcNow();
        ExecutionClaim claim;
        using (ExecutionTrace.StartPhase("execution.start"))
        {
            claim = await executions.ClaimAsync(id, options.Value.ConsumerName, startedAt, mayStart: run is not null);
        }

        trace.Loaded(claim.Spec);
        switch (claim.Status)
        {
            case ExecutionStatus.Queued when claim.Started && claim.Spec is not null:
                await RunAsync(id, claim, startedAt, run!, trace);
                break;
            case ExecutionStatus.Queued when claim.Started:
                await FailUnreadableAsync(id, trace);
                break;
            case ExecutionStatus.Running when run is not null:
                // Reached only through a reclaim: the worker that started it is gone (a cancel asked meanwhile still counts).
                if (claim.CancelRequested)
                {
                    if (await executions.TryFinishAsync(id, worker: "", CancelRequests.WorkerLost))
                    {
                        trace.Ended(CancelRequests.WorkerLost, ran: false);
                    }
                }
                else if (await executions.TryFailLostAsync(id))
                {
                    LogLost(logger, id);
                    trace.Ended(ExecutionResult.InternalError(ExecutionRepository.LostMessage), ran: false);
                }

                break;
            case { } ended when ended.IsTerminal() && claim.Spec?.SessionId is not null:
                // A cell cancelled (or expired) while queued never reaches the kernel: its session is free for the next cell
                // now, not once the claim lapses (wall limit plus slack). Harmless for a cell that ran: the claim names it.
                await cells.CellNotRunAsync(id, claim.Spec);
                break;
            default:
                // Expired, cancelled before it ran, already finished, or already running here: nothing to do but acknowledge.
                break;
        }
    }

    private async Task RunAsync(string id, ExecutionClaim claim, DateTimeOffset startedAt, RunningJobs.Registration run, ExecutionTrace trace)
    {
        var worker = options.Value.ConsumerName;
        var spec = claim.Spec!;
        trace.Started(id, claim.CreatedAt, startedAt);
        var output = new OutputPublisher(executions, id);
        ExecutionResult result;
        var ran = false;
        using (ExecutionTrace.StartPhase("sandbox.run"))
        {
            try
            {
                // A cancel asked before the start (read in the same step) or since (its message cancels the token)
                // ends it before the program starts.
                ran = !run.Token.IsCancellationRequested && !claim.CancelRequested;
                result = !ran ? CancelRequests.BeforeStart
                    : spec.SessionId is not null ? await cells.RunCellAsync(id, spec, output.OnChunk, run.Token)
                    : await runner.RunAsync(id, spec, output.OnChunk, spec.Interactive ? new RedisStdinFeed(redis, id) : null, run.Token);
            }
            catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
            {
                // A session cell cancelled while it waited for its session (a file operation or the session's end held it):
                // it never ran, and the record must end now, not when its claim lapses.
                result = CancelRequests.BeforeStart;
                ran = false;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                LogRunFailed(logger, id, e);
                result = ExecutionResult.InternalError($"sandbox failed to run the program: {e.Message}");
                ran = false;
            }

            if (result.Status == ExecutionStatus.Cancelled && running.Stopping && !await cancels.IsRequestedAsync(id))
            {
                result = result with { Status = ExecutionStatus.InternalError, Message = StoppedMessage(options.Value.StopGraceSeconds) };
            }

            if (!ran && spec.SessionId is not null)
            {
                // Its record went to running when it was claimed, so a cancel can land before the cell reaches the kernel
                // (on a busy host, between the claim and here): without this, its session stayed busy till the claim lapsed.
                await cells.CellNotRunAsync(id, spec);
            }
        }

        bool stored;
        using (ExecutionTrace.StartPhase("result.store"))
        {
            await output.DrainAsync();
            // A sandbox that failed to start reports internal_error with no program run.
            var programRan = ran && result.Status != ExecutionStatus.InternalError;
            stored = await executions.TryFinishAsync(id, worker, result, new(spec.Language, claim.CreatedAt, startedAt, spec.SessionId, programRan));
        }

        if (stored)
        {
            trace.Ended(result, ran);
            var status = result.Status.ToWire();
            LogEnded(logger, status, result.ExitCode, result.WallTimeMs);
        }
    }

    /// <summary>The message of a run this replica ended because it was stopping and the grace period had passed.</summary>
    public static string StoppedMessage(int graceSeconds) =>
        $"sandbox worker stopped: the run had not finished {graceSeconds} s after the stop (Sandbox:StopGraceSeconds)";

    private async Task FailUnreadableAsync(string id, ExecutionTrace trace)
    {
        var unreadable = ExecutionResult.InternalError("execution record has no readable program");
        if (await executions.TryFinishAsync(id, options.Value.ConsumerName, unreadable))
        {
            trace.Ended(unreadable, ran: false);
        }
    }

    /// <summary>The execution id comes from the handler's log scope, like on every other line of the run.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "Execution ended {Status:l} (exit code {ExitCode}, {WallTimeMs} ms)")]
    private static partial void LogEnded(ILogger logger, string status, int? exitCode, long wallTimeMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId} was running on a lost worker; marked internal_error")]
    private static partial void LogLost(ILogger logger, string executionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Execution {ExecutionId} could not be run")]
    private static partial void LogRunFailed(ILogger logger, string executionId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis failed while handling {ExecutionId}; the entry stays pending for reclaim")]
    private static partial void LogRedisFailure(ILogger logger, string executionId, Exception exception);
}
