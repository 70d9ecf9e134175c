namespace Codify.Benchmarks;

/// <summary>
/// Waits until the app is idle before its raw baseline is measured: right after the warm-up both Sandbox replicas refill
/// their preforked children and warm sandboxes, and raw starts measured meanwhile share the two cores with that refill
/// (an earlier run measured 63 raw starts/s here against 130 in the end-to-end part).
/// </summary>
public static class AppSettle
{
    /// <summary>Idle: the app used less than this share of one core over a second.</summary>
    private const double IdleShare = 0.05;

    /// <returns>The share of one core the app used in its last measured second.</returns>
    public static async Task<double> WaitAsync(Func<double> appCpuMs, TimeSpan max)
    {
        var deadline = DateTime.UtcNow + max;
        double share;
        do
        {
            var before = appCpuMs();
            await Task.Delay(TimeSpan.FromSeconds(1));
            share = (appCpuMs() - before) / 1000;
        }
        while (share >= IdleShare && DateTime.UtcNow < deadline);

        return share;
    }
}
