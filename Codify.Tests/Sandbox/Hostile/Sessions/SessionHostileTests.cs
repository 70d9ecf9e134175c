// The skipped theories' data is the base methods' own (InlineData is inherited); the analyzer looks at the override only.
#pragma warning disable xUnit1003

namespace Codify.Tests.Sandbox.Hostile.Sessions;

// The whole hostile suite once more, every program run as the one cell of a fresh session (SessionSandboxRunnerFixture):
// a session's sandbox must hold exactly as a run's. The program shares its process with the session's kernel, so what
// depends on a run being its own process (its exit, its descriptors, its pid) cannot apply: those tests are overridden
// below and skipped, each with the reason; what a session must hold instead is tested in SessionCellHostileTests,
// KernelPipeHostileTests and BetweenSessionsHostileTests.

/// <summary>
/// The session classes run one after another: each fills tmpfs mounts and bombs pids like the other modes' classes, and
/// the suite's host-wide checks (the host's Shmem) grow flaky with every class that does so at the same time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SessionHostileGroup
{
    public const string Name = "session hostile";
}

internal static class SessionSkips
{
    public const string ExitEndsTheInterpreter = "ends with os._exit or process.exit (or its exit code): in a session that ends the "
        + "session's interpreter, not the cell (SessionCellHostileTests: a cell that exits the interpreter)";

    public const string NodeCallbacksOutliveTheCell = "node's case: a cell ends when its code returns; the timers and child-exit "
        + "callbacks it left run later in the session, as in a notebook (SessionCellHostileTests covers time limits in a session)";

    public const string KernelDescriptors = "the program shares its process with the session's kernel, whose own pipes are fds 3-6 "
        + "(KernelPipeHostileTests: they are only the kernel's, and writing to them misleads only the session itself)";
}

[Collection(SessionHostileGroup.Name)]
public sealed class SessionCpuAndTimeHostileTests(SessionSandboxRunnerFixture sandbox)
    : CpuAndTimeHostileTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>
{
    [Theory(Skip = SessionSkips.NodeCallbacksOutliveTheCell)]
    public override Task Sleeping_past_the_wall_limit_is_stopped_by_the_wall_clock(string language, string code) =>
        base.Sleeping_past_the_wall_limit_is_stopped_by_the_wall_clock(language, code);
}

[Collection(SessionHostileGroup.Name)]
public sealed class SessionFilesystemHostileTests(SessionSandboxRunnerFixture sandbox)
    : FilesystemHostileTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>;

[Collection(SessionHostileGroup.Name)]
public sealed class SessionHostSecretsHostileTests(SessionSandboxRunnerFixture sandbox)
    : HostSecretsHostileTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>
{
    [Fact(Skip = SessionSkips.KernelDescriptors)]
    public override Task No_host_descriptor_leaks_into_the_program() => base.No_host_descriptor_leaks_into_the_program();
}

[Collection(SessionHostileGroup.Name)]
public sealed class SessionIsolationBetweenRunsTests(SessionSandboxRunnerFixture sandbox)
    : IsolationBetweenRunsTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>;

[Collection(SessionHostileGroup.Name)]
public sealed class SessionKernelHostileTests(SessionSandboxRunnerFixture sandbox)
    : KernelHostileTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>
{
    [Theory(Skip = SessionSkips.NodeCallbacksOutliveTheCell)]
    public override Task Kill_minus_one_and_host_pids_reach_no_host_process(string language, string childDied) =>
        base.Kill_minus_one_and_host_pids_reach_no_host_process(language, childDied);
}

[Collection(SessionHostileGroup.Name)]
public sealed class SessionMemoryHostileTests(SessionSandboxRunnerFixture sandbox)
    : MemoryHostileTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>;

[Collection(SessionHostileGroup.Name)]
public sealed class SessionNetworkHostileTests(SessionSandboxRunnerFixture sandbox)
    : NetworkHostileTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>;

[Collection(SessionHostileGroup.Name)]
public sealed class SessionOutputHostileTests(SessionSandboxRunnerFixture sandbox)
    : OutputHostileTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>;

[Collection(SessionHostileGroup.Name)]
public sealed class SessionProcessHostileTests(SessionSandboxRunnerFixture sandbox)
    : ProcessHostileTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>
{
    [Fact(Skip = SessionSkips.ExitEndsTheInterpreter)]
    public override Task A_spawn_loop_gets_EAGAIN_below_the_pids_limit() => base.A_spawn_loop_gets_EAGAIN_below_the_pids_limit();

    [Fact(Skip = SessionSkips.ExitEndsTheInterpreter)]
    public override Task A_python_thread_bomb_cannot_start_threads_past_the_pids_limit() =>
        base.A_python_thread_bomb_cannot_start_threads_past_the_pids_limit();

    [Fact(Skip = SessionSkips.ExitEndsTheInterpreter)]
    public override Task A_node_worker_bomb_cannot_start_workers_past_the_pids_limit() =>
        base.A_node_worker_bomb_cannot_start_workers_past_the_pids_limit();

    [Fact(Skip = SessionSkips.NodeCallbacksOutliveTheCell)]
    public override Task A_detached_unrefed_node_child_does_not_outlive_the_run() => base.A_detached_unrefed_node_child_does_not_outlive_the_run();
}

[Collection(SessionHostileGroup.Name)]
public sealed class SessionVerdictHostileTests(SessionSandboxRunnerFixture sandbox)
    : VerdictHostileTests(sandbox), IClassFixture<SessionSandboxRunnerFixture>
{
    [Theory(Skip = SessionSkips.ExitEndsTheInterpreter)]
    public override Task Imitating_the_launch_wrappers_failure_is_a_runtime_error_and_does_not_break_the_sandbox(string language, string code) =>
        base.Imitating_the_launch_wrappers_failure_is_a_runtime_error_and_does_not_break_the_sandbox(language, code);
}
