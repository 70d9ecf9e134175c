using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace Codify.Hosting;

/// <summary>
/// Sits in front of the trace exporter. Sampled spans pass straight through. Spans of a trace that was not sampled
/// (recorded only) wait, per trace, until the trace's entry span in this process ends — the request, the run — and
/// are then exported only if one of them failed or the entry span took at least <paramref name="slowRunMs"/>: errors
/// and slow runs are always seen, however low the sample ratio. Each process decides for its own spans, from what it
/// saw itself.
/// </summary>
public sealed class KeptTraceProcessor(BaseProcessor<Activity> exporter, int slowRunMs) : BaseProcessor<Activity>
{
    /// <summary>Bounds on what waits (a span that never ends would otherwise hold its trace forever).</summary>
    public const int MaxWaitingTraces = 4096;

    public const int MaxSpansPerTrace = 256;

    /// <summary>A trace waiting longer than this lost its entry span (or a span ended after it): it is let go.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<ActivityTraceId, WaitingTrace> _waiting = new();
    private readonly TimeSpan _slow = TimeSpan.FromMilliseconds(slowRunMs);

    public override void OnStart(Activity data) => exporter.OnStart(data);

    public override void OnEnd(Activity data)
    {
        if (data.Recorded)
        {
            exporter.OnEnd(data);
            return;
        }

        if (!IsEntry(data))
        {
            Wait(data);
            return;
        }

        var spans = _waiting.TryRemove(data.TraceId, out var waiting) ? waiting.Spans : [];
        lock (spans)
        {
            spans.Add(data);
            if (data.Duration >= _slow || spans.Exists(s => s.Status == ActivityStatusCode.Error))
            {
                foreach (var span in spans)
                {
                    // The exporter skips spans not marked sampled: marking it is what keeps the trace.
                    span.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
                    exporter.OnEnd(span);
                }
            }
        }
    }

    /// <summary>
    /// The span that ends this process's part of a trace: no parent here, and either the trace's own root or a
    /// server/consumer/producer continuing another process's trace (not, say, the queue-wait span the Sandbox hangs
    /// under the API's span, which ends before the run does).
    /// </summary>
    private static bool IsEntry(Activity span) =>
        span.Parent is null && (span.ParentSpanId == default || span.Kind is not ActivityKind.Internal and not ActivityKind.Client);

    private void Wait(Activity span)
    {
        if (_waiting.Count >= MaxWaitingTraces && !_waiting.ContainsKey(span.TraceId) && !ForgetStale())
        {
            return; // dropped: under that much backlog, telemetry gives way
        }

        var spans = _waiting.GetOrAdd(span.TraceId, _ => new WaitingTrace(Stopwatch.GetTimestamp(), [])).Spans;
        lock (spans)
        {
            if (spans.Count < MaxSpansPerTrace)
            {
                spans.Add(span);
            }
        }
    }

    /// <summary>Lets go of traces whose entry span never ended here; true if that made room.</summary>
    private bool ForgetStale()
    {
        foreach (var (traceId, trace) in _waiting)
        {
            if (Stopwatch.GetElapsedTime(trace.Since) > MaxWait)
            {
                _waiting.TryRemove(traceId, out _);
            }
        }

        return _waiting.Count < MaxWaitingTraces;
    }

    private sealed record WaitingTrace(long Since, List<Activity> Spans);

    protected override bool OnForceFlush(int timeoutMilliseconds) => exporter.ForceFlush(timeoutMilliseconds);

    protected override bool OnShutdown(int timeoutMilliseconds) => exporter.Shutdown(timeoutMilliseconds);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            exporter.Dispose();
        }

        base.Dispose(disposing);
    }
}
