namespace Codify.Tests.Kernel;

/// <summary>A fact that is skipped, with the reason, where the user-mode kernel cannot boot (instead of passing silently).</summary>
public sealed class KernelFactAttribute : FactAttribute
{
    public KernelFactAttribute()
    {
        if (UserModeLinux.WhyUnavailable() is { } reason)
        {
            Skip = reason;
        }
    }
}
