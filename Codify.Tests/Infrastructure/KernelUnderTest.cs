namespace Codify.Tests.Infrastructure;

/// <summary>
/// Which kernel the Sandbox tests run against: the host's, or (Kernel tier) a user-mode Linux kernel with cgroup v2
/// that runs programs several times slower (a python start takes ~320 ms there). The same tests run in both; their time
/// limits and waits are scaled by <see cref="TimeScale"/> so each limit still shows the verdict it shows on the host.
/// </summary>
public static class KernelUnderTest
{
    /// <summary>Set to "v2" by the Kernel tier's init script for the test host it starts inside the user-mode kernel.</summary>
    public const string Variable = "CODIFY_KERNEL_TIER";

    public static bool IsUserModeV2 => Environment.GetEnvironmentVariable(Variable) == "v2";

    public static int TimeScale => IsUserModeV2 ? 8 : 1;

    public static int Ms(int milliseconds) => milliseconds * TimeScale;

    public static TimeSpan Scaled(TimeSpan time) => time * TimeScale;
}
