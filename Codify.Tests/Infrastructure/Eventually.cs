namespace Codify.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a deadline passes: waits for a state, never sleeps and hopes.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> until, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = await probe();
        while (!until(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds} s; last value: {last}");
            }

            await Task.Delay(50);
            last = await probe();
        }

        return last;
    }
}
