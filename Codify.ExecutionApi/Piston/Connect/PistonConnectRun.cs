using System.Text.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Intake;
using Codify.ExecutionApi.Interactive;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Piston.Connect;

/// <summary>
/// The one execution of a <c>/api/v2/connect</c> connection: <c>init</c> goes through the one intake as an interactive
/// run; its events become <c>stage</c>, <c>data</c> and <c>exit</c>; stdin <c>data</c> goes to the <see cref="StdinRelay"/>;
/// a <c>signal</c> that ends a process kills it. A run that has not ended when the connection closes (or starts to) is cancelled.
/// </summary>
public sealed partial class PistonConnectRun(PistonConnectServices services, PistonConnection connection, string client) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _pump = Task.CompletedTask;
    private string? _executionId;
    private int _ended;
    private int _disposed;

    public async Task StartAsync(JsonElement init, CancellationToken cancellationToken)
    {
        var (request, unreadable) = PistonRequestReader.Read(init, services.Json);
        if (request is null)
        {
            await connection.FailAsync(PistonProblems.Message(unreadable!));
            return;
        }

        var errors = new Dictionary<string, string[]>();
        if (PistonRequestMapper.Map(request, services.Executions, services.Limits, errors) is not { } mapped)
        {
            await connection.FailAsync(PistonProblems.Message(PistonRequestMapper.ToPistonFields(errors)));
            return;
        }

        switch (await services.Intake.SubmitAsync(mapped with { Interactive = true }, client, cancellationToken))
        {
            case IntakeInvalid invalid:
                await connection.FailAsync(PistonProblems.Message(PistonRequestMapper.ToPistonFields(invalid.Errors, request)));
                return;
            case IntakeRefused refused:
                await connection.FailAsync(refused.Detail);
                return;
            case IntakeQueued queued:
                _executionId = queued.Record.Id;
                await connection.SendAsync(new PistonRuntimeMessage(queued.Spec.Language, queued.Runtime!.Version, _executionId), cancellationToken);
                _pump = Task.Run(() => PumpAsync(_executionId, _stop.Token), CancellationToken.None);
                return;
        }
    }

    /// <summary>Input for the program; what arrives after it ended is dropped, as Piston drops it.</summary>
    public async Task WriteStdinAsync(string data, bool eof, CancellationToken cancellationToken)
    {
        if (_executionId is not { } id)
        {
            return; // its init failed: the connection is closing
        }

        var outcome = await services.Stdin.SendAsync(id, data, eof, cancellationToken);
        if (outcome is not (StdinSendOutcome.Sent or StdinSendOutcome.Ended))
        {
            await connection.FailAsync(services.Stdin.Explain(id, outcome));
        }
    }

    /// <summary>Codify can only kill: a signal that would end a program without handlers kills the run (its <c>exit</c> follows).</summary>
    public async Task SignalAsync(string signal)
    {
        if (PistonSignals.Ends(signal) && _executionId is { } id)
        {
            await services.Canceller.CancelAsync(id);
        }
    }

    /// <summary>Ends the run's part in the connection (once): its events stop, and a run that has not ended is cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        await _pump;
        _stop.Dispose();
        if (_executionId is not { } id || Volatile.Read(ref _ended) == 1)
        {
            return;
        }

        await services.Canceller.CancelAbandonedAsync(id, client);
    }

    private async Task PumpAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in services.Replay.StreamAsync(id, 0, cancellationToken))
            {
                if (ToMessage(e) is { } message && !await connection.SendAsync(message, cancellationToken))
                {
                    return;
                }

                if (e.Type == ExecutionEventType.Completed)
                {
                    Volatile.Write(ref _ended, 1);
                    connection.Close(PistonClose.JobCompleted);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The connection closed.
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogStreamFailed(services.Logger, id, e);
            await connection.FailAsync($"The output of the run broke off (Redis did not answer); execution {id} may still be running.");
        }
    }

    private static PistonServerMessage? ToMessage(ExecutionEvent e) => e.Type switch
    {
        ExecutionEventType.Started => new PistonStageMessage("run"),
        ExecutionEventType.Stdout => new PistonDataMessage("stdout", e.Data ?? ""),
        ExecutionEventType.Stderr => new PistonDataMessage("stderr", e.Data ?? ""),
        ExecutionEventType.Completed => Exit(e.Record),
        _ => null,
    };

    private static PistonExitMessage Exit(ExecutionRecord? record)
    {
        if (record is null)
        {
            return new PistonExitMessage("run", null, null, "XX", "the execution's record has expired");
        }

        var run = PistonResultMapper.ToRun(record);
        return new PistonExitMessage("run", run.Code, run.Signal, run.Status, run.Message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event stream of execution {ExecutionId} failed for a Piston connection")]
    private static partial void LogStreamFailed(ILogger logger, string executionId, Exception exception);
}
