using Codify.Sandbox.Isolation;

namespace Codify.Tests.Sandbox;

/// <summary>Finished sandboxes are torn down after their result, in order, and a stopping service finishes them all.</summary>
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
