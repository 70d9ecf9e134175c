namespace Codify.Tests.Sandbox.Hostile.Sessions;

// The whole hostile suite once more, every program run as the one cell of a fresh session (SessionSandboxRunnerFixture):
// a session's sandbox must hold exactly as a run's. The program shares its process with the session's kernel, so what
// depends on a run being its own process (its exit, its descriptors, its pid) cannot apply: those tests are overridden
// below and skipped, each with the reason.

public sealed class SessionCpuAndTimeHostileTests(SessionSandboxRunnerFixture sandbox)
    : CpuAndTimeHostileTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>;

public sealed class SessionFilesystemHostileTests(SessionSandboxRunnerFixture sandbox)
    : FilesystemHostileTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>;

public sealed class SessionHostSecretsHostileTests(SessionSandboxRunnerFixture sandbox)
    : HostSecretsHostileTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>;

public sealed class SessionIsolationBetweenRunsTests(SessionSandboxRunnerFixture sandbox)
    : IsolationBetweenRunsTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>;

public sealed class SessionKernelHostileTests(SessionSandboxRunnerFixture sandbox)
    : KernelHostileTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>;

public sealed class SessionMemoryHostileTests(SessionSandboxRunnerFixture sandbox)
    : MemoryHostileTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>;

public sealed class SessionNetworkHostileTests(SessionSandboxRunnerFixture sandbox)
    : NetworkHostileTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>;

public sealed class SessionOutputHostileTests(SessionSandboxRunnerFixture sandbox)
    : OutputHostileTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>;

public sealed class SessionProcessHostileTests(SessionSandboxRunnerFixture sandbox)
    : ProcessHostileTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>;

public sealed class SessionVerdictHostileTests(SessionSandboxRunnerFixture sandbox)
    : VerdictHostileTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>;
