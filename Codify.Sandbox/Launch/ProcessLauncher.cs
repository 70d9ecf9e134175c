using System.Collections.Concurrent;
using System.Diagnostics;

namespace Codify.Sandbox.Launch;

/// <summary>
/// Starts every sandbox from one long-lived thread. bwrap's --die-with-parent uses PR_SET_PDEATHSIG, which fires
/// when the forking *thread* exits: started from a thread-pool thread that later retires, a run would be SIGKILLed
/// mid-flight. This thread lives as long as the service, so the signal fires only when the service itself dies.
/// </summary>
public sealed class ProcessLauncher : IDisposable
{
    private readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> _requests = new();
    private readonly Thread _thread;

    public ProcessLauncher()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "codify-sandbox-launcher" };
        _thread.Start();
    }

    /// <summary>The started process; throws what <see cref="Process.Start()"/> threw.</summary>
    public Task<Process> StartAsync(ProcessStartInfo start)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Add((start, started));
        return started.Task;
    }

    private void Loop()
    {
        foreach (var (start, started) in _requests.GetConsumingEnumerable())
        {
            var process = new Process { StartInfo = start };
            try
            {
                // Nothing the service holds may reach the sandbox but the pipes set up for it.
                InheritedDescriptors.MarkCloseOnExec();
                process.Start();
                started.SetResult(process);
            }
            catch (Exception e)
            {
                process.Dispose();
                started.SetException(e);
            }
        }
    }

    public void Dispose()
    {
        _requests.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(5));
        _requests.Dispose();
    }
}
