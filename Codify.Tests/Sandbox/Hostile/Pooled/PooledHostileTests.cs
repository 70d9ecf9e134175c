namespace Codify.Tests.Sandbox.Hostile.Pooled;

// The whole hostile suite once more, every run served by a warm sandbox (PooledSandboxRunnerFixture): a pre-started
// sandbox must hold exactly as a cold one does. Runs the pool cannot serve (a node memory limit other than the pool's)
// fall back to cold, as in production.

public sealed class PooledCpuAndTimeHostileTests(PooledSandboxRunnerFixture sandbox)
    : CpuAndTimeHostileTests(sandbox), IClassFixture<PooledSandboxRunnerFixture>;

public sealed class PooledFilesystemHostileTests(PooledSandboxRunnerFixture sandbox)
    : FilesystemHostileTests(sandbox), IClassFixture<PooledSandboxRunnerFixture>;

public sealed class PooledHostSecretsHostileTests(PooledSandboxRunnerFixture sandbox)
    : HostSecretsHostileTests(sandbox), IClassFixture<PooledSandboxRunnerFixture>;

public sealed class PooledIsolationBetweenRunsTests(PooledSandboxRunnerFixture sandbox)
    : IsolationBetweenRunsTests(sandbox), IClassFixture<PooledSandboxRunnerFixture>;

public sealed class PooledKernelHostileTests(PooledSandboxRunnerFixture sandbox)
    : KernelHostileTests(sandbox), IClassFixture<PooledSandboxRunnerFixture>;

public sealed class PooledMemoryHostileTests(PooledSandboxRunnerFixture sandbox)
    : MemoryHostileTests(sandbox), IClassFixture<PooledSandboxRunnerFixture>;

public sealed class PooledNetworkHostileTests(PooledSandboxRunnerFixture sandbox)
    : NetworkHostileTests(sandbox), IClassFixture<PooledSandboxRunnerFixture>;

public sealed class PooledOutputHostileTests(PooledSandboxRunnerFixture sandbox)
    : OutputHostileTests(sandbox), IClassFixture<PooledSandboxRunnerFixture>;

public sealed class PooledProcessHostileTests(PooledSandboxRunnerFixture sandbox)
    : ProcessHostileTests(sandbox), IClassFixture<PooledSandboxRunnerFixture>;

public sealed class PooledVerdictHostileTests(PooledSandboxRunnerFixture sandbox)
    : VerdictHostileTests(sandbox), IClassFixture<PooledSandboxRunnerFixture>;
