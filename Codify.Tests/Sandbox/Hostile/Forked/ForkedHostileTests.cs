namespace Codify.Tests.Sandbox.Hostile.Forked;

// The whole hostile suite once more, every plain python run served by a fork of the fork server (ForkedSandboxRunnerFixture,
// which fails if it forked nothing): a forked run must hold exactly as a cold one does. Node runs and what a fork cannot
// serve go to the pool or cold, as in production.

public sealed class ForkedCpuAndTimeHostileTests(ForkedSandboxRunnerFixture sandbox)
    : CpuAndTimeHostileTests(sandbox), IClassFixture<ForkedSandboxRunnerFixture>;

public sealed class ForkedFilesystemHostileTests(ForkedSandboxRunnerFixture sandbox)
    : FilesystemHostileTests(sandbox), IClassFixture<ForkedSandboxRunnerFixture>;

public sealed class ForkedHostSecretsHostileTests(ForkedSandboxRunnerFixture sandbox)
    : HostSecretsHostileTests(sandbox), IClassFixture<ForkedSandboxRunnerFixture>;

public sealed class ForkedIsolationBetweenRunsTests(ForkedSandboxRunnerFixture sandbox)
    : IsolationBetweenRunsTests(sandbox), IClassFixture<ForkedSandboxRunnerFixture>;

public sealed class ForkedKernelHostileTests(ForkedSandboxRunnerFixture sandbox)
    : KernelHostileTests(sandbox), IClassFixture<ForkedSandboxRunnerFixture>;

public sealed class ForkedMemoryHostileTests(ForkedSandboxRunnerFixture sandbox)
    : MemoryHostileTests(sandbox), IClassFixture<ForkedSandboxRunnerFixture>;

public sealed class ForkedNetworkHostileTests(ForkedSandboxRunnerFixture sandbox)
    : NetworkHostileTests(sandbox), IClassFixture<ForkedSandboxRunnerFixture>;

public sealed class ForkedOutputHostileTests(ForkedSandboxRunnerFixture sandbox)
    : OutputHostileTests(sandbox), IClassFixture<ForkedSandboxRunnerFixture>;

public sealed class ForkedProcessHostileTests(ForkedSandboxRunnerFixture sandbox)
    : ProcessHostileTests(sandbox), IClassFixture<ForkedSandboxRunnerFixture>;

public sealed class ForkedVerdictHostileTests(ForkedSandboxRunnerFixture sandbox)
    : VerdictHostileTests(sandbox), IClassFixture<ForkedSandboxRunnerFixture>;
