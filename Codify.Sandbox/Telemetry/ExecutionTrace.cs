using System.Diagnostics;
using Codify.Contracts;

namespace Codify.Sandbox.Telemetry;

/// <summary>
/// One job on this replica: the <c>execution.run</c> span (a consumer span under the API's <c>execution.enqueue</c>),
/// its phases as child spans, a <c>execution.queued</c> span for the time the job waited, and the metrics of its end.
/// Attributes are ids, limits, verdicts and measurements: never the code or its output.
/// </summary>
public sealed class ExecutionTrace : IDisposable
{
    private readonly SandboxMetrics _metrics;
    private readonly ActivityContext _parent;
    private readonly Activity? _run;
    private string _language = "unknown";

    internal ExecutionTrace(SandboxMetrics metrics, string executionId, ActivityContext parent)
    {
        _metrics = metrics;
        _parent = parent;
        _run = SandboxTelemetry.Source.StartActivity("execution.run", ActivityKind.Consumer, parent);
        _run?.SetTag(ExecutionTags.Id, executionId);
    }

    /// <summary>A child span of <c>execution.run</c>: <c>execution.start</c>, <c>sandbox.run</c>, <c>result.store</c>.</summary>
    public static Activity? StartPhase(string name) => SandboxTelemetry.Source.StartActivity(name);

    /// <summary>The record that was loaded, before anything was decided about it.</summary>
    public void Loaded(ExecutionSpec? spec)
    {
        if (spec is null)
        {
            return;
        }

        _language = spec.Language;
        _run?.SetTag(ExecutionTags.Language, spec.Language);
        foreach (var (key, value) in ExecutionTags.Limits(spec.Limits))
        {
            _run?.SetTag(key, value);
        }
    }

    /// <summary>This replica moved the record from queued to running: the queue wait is the record's startedAt - createdAt.</summary>
    public void Started(string executionId, DateTimeOffset? createdAt, DateTimeOffset startedAt)
    {
        if (createdAt is not { } created)
        {
            return;
        }

        var wait = startedAt > created ? startedAt - created : TimeSpan.Zero;
        _run?.SetTag(ExecutionTags.QueueWaitMs, (long)wait.TotalMilliseconds);
        _metrics.QueueWaited(_language, wait);
        // Measured, not guessed: from the record's createdAt to the moment this replica started it, under the span
        // that enqueued the job (beside execution.run), or under execution.run when the job carried no trace.
        var parent = _parent != default ? _parent : _run?.Context ?? default;
        using var queued = SandboxTelemetry.Source.StartActivity("execution.queued", ActivityKind.Internal, parent,
            [new(ExecutionTags.Id, executionId)], startTime: created);
        queued?.SetEndTime((created + wait).UtcDateTime);
    }

    /// <summary>The record was ended by this replica with <paramref name="result"/>; <paramref name="ran"/> when a program run produced it.</summary>
    public void Ended(ExecutionResult result, bool ran)
    {
        if (_run is not null)
        {
            foreach (var (key, value) in ExecutionTags.Outcome(result))
            {
                _run.SetTag(key, value);
            }

            // The program's own failures are its verdict; only a failure of ours marks the span as an error.
            if (result.Status == ExecutionStatus.InternalError)
            {
                _run.SetStatus(ActivityStatusCode.Error, result.Message);
            }
        }

        _metrics.Ended(_language, result, ran);
    }

    /// <summary>Redis failed mid-way: the job stays pending for a reclaim, which continues under the same trace.</summary>
    public void LeftPending(Exception exception) =>
        _run?.SetStatus(ActivityStatusCode.Error, $"left pending for reclaim: {exception.GetType().Name}");

    public void Dispose() => _run?.Dispose();
}
