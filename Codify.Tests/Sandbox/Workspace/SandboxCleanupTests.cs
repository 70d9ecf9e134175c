using Codify.Sandbox.Workspace;

namespace Codify.Tests.Sandbox.Workspace;

/// <summary>Finished sandboxes are torn down after their result, in order, and a stopping service finishes them all.</summary>
[UnitTier]
public sealed class SandboxCleanupTests
{
    private sealed class Teardown(ManualResetEventSlim? gate = null) : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose()
        {
            gate?.Wait(TimeSpan.FromSeconds(30));
            Disposed = true;
        }
    }

    [Fact]
    public async Task Idle_means_every_deferred_teardown_has_run()
    {
        using var cleanup = new SandboxCleanup();
        using var gate = new ManualResetEventSlim();
        var slow = new Teardown(gate);
        var next = new Teardown();

        cleanup.Defer(slow);
        cleanup.Defer(next);
        var idle = cleanup.WhenIdleAsync();

        Assert.False(idle.IsCompleted);
        Assert.False(next.Disposed);
        gate.Set();
        await idle.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(slow.Disposed && next.Disposed);
    }

    private sealed class FailingTeardown : IDisposable
    {
        public void Dispose() => throw new IOException("Pipe is broken.");
    }

    [Fact]
    public async Task A_teardown_that_throws_neither_ends_the_cleanup_thread_nor_stops_the_next()
    {
        using var cleanup = new SandboxCleanup();
        var next = new Teardown();

        cleanup.Defer(new FailingTeardown());
        cleanup.Defer(next);

        await cleanup.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(next.Disposed);
    }

    [Fact]
    public void Disposing_finishes_queued_teardowns_and_later_ones_run_at_once()
    {
        var cleanup = new SandboxCleanup();
        var queued = new Teardown();
        cleanup.Defer(queued);

        cleanup.Dispose();
        var late = new Teardown();
        cleanup.Defer(late);

        Assert.True(queued.Disposed);
        Assert.True(late.Disposed);
    }
}
