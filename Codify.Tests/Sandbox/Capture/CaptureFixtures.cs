using Codify.Sandbox.Capture;
using Codify.Sandbox.Pool;

namespace Codify.Tests.Sandbox.Capture;

/// <summary>A cold-only real sandbox with small capture caps, so the caps can be passed by a test program.</summary>
public class CaptureSandboxFixture : SandboxRunnerFixture
{
    public const int MaxOutputs = 3;
    public const int MaxFiles = 3;
    public const long MaxFileBytes = 64 * 1024;

    public override CaptureOptions Capture { get; } = new() { MaxOutputs = MaxOutputs, MaxFiles = MaxFiles, MaxFileBytes = MaxFileBytes };
}

/// <summary>The same caps behind a warm pool of one python and one node sandbox: capturing python runs are served warm.</summary>
public sealed class PooledCaptureSandboxFixture : CaptureSandboxFixture
{
    public override PoolOptions PoolSizes { get; } = new() { Python = 1, Node = 1 };
}
