namespace Codify.Hosting;

/// <summary>The work items a background loop has started and not yet seen finish, so shutdown can wait for them.</summary>
public sealed class RunningTasks
{
    private readonly List<Task> _tasks = [];

    public void Track(Task task)
    {
        lock (_tasks)
        {
            _tasks.RemoveAll(t => t.IsCompleted);
            _tasks.Add(task);
        }
    }

    public Task WhenAllAsync()
    {
        lock (_tasks)
        {
            return Task.WhenAll([.. _tasks]);
        }
    }
}
