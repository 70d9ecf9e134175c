using System.Collections.Concurrent;

namespace Codify.Sandbox.Workspace;

/// <summary>
/// Tears down finished sandboxes on one dedicated thread, after their result has been handed back. By then the
/// supervisor has killed every process of the run (the whole cgroup) and read its usage; what is left is removing the
/// empty cgroup folders, the run folder and releasing the host uid. On this kernel each cgroup rmdir costs about a
/// millisecond, more while another sandbox joins its cgroups (both wait for the cgroup lock): work the run's caller
/// should not wait for. One thread, so slow removals never hold up the thread pool.
/// </summary>
internal sealed class SandboxCleanup : IDisposable
{
    private readonly BlockingCollection<(IDisposable Sandbox, TaskCompletionSource Done)> _queue = new();
    private readonly ConcurrentDictionary<Task, byte> _pending = new();
    private readonly Thread _thread;
    private int _disposed;

    public SandboxCleanup()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "codify-sandbox-cleanup" };
        _thread.Start();
    }

    /// <summary>Queues a finished sandbox for teardown (at once, on the caller's thread, once this has been disposed).</summary>
    internal void Defer(IDisposable sandbox)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[done.Task] = 0;
        _ = done.Task.ContinueWith(t => _pending.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            _queue.Add((sandbox, done));
        }
        catch (InvalidOperationException)
        {
            // Disposed (the service is stopping): nothing may be left behind, so tear it down right here.
            Teardown(sandbox, done);
        }
    }

    /// <summary>Completes once every sandbox deferred so far is torn down.</summary>
    internal Task WhenIdleAsync() => Task.WhenAll(_pending.Keys);

    private void Loop()
    {
        foreach (var (sandbox, done) in _queue.GetConsumingEnumerable())
        {
            Teardown(sandbox, done);
        }
    }

    private static void Teardown(IDisposable sandbox, TaskCompletionSource done)
    {
        try
        {
            sandbox.Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or Cgroups.CgroupException)
        {
            // An exception escaping this thread would end the whole service. A teardown that failed part-way keeps its
            // host uid leased (released last), so no later run shares a uid with anything left behind.
        }
        finally
        {
            done.TrySetResult();
        }
    }

    /// <summary>Finishes every queued teardown (bounded), so a stopping service leaves nothing behind.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(30));
    }
}
