using Codify.Tests.Infrastructure;

namespace Codify.Tests.Kernel;

/// <summary>
/// The Sandbox's isolation and limit tests against a real cgroup v2 kernel: the same test classes that pass on this
/// host's cgroup v1 (Tier=Sandbox) run again in a user-mode Linux 6.1 booted on the host's files, in a cgroup delegated
/// the way systemd delegates a unit with Delegate=yes, and must all pass there too, leaving no run cgroup or folder.
/// Alone (no other test class runs meanwhile): the user-mode kernel is slow, and a loaded host would only slow it more.
/// </summary>
[KernelTier]
[Collection(nameof(CgroupV2KernelTests))]
public sealed class CgroupV2KernelTests
{
    /// <summary>Under test.sh's 5-minute hang limit; each group takes 1.5-2.5 minutes on this 2-core machine.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(4.5);

    [KernelFact]
    public Task The_cold_run_and_limit_tests_pass_on_cgroup_v2_in_a_user_mode_kernel() => PassInsideAsync(KernelTierRun.Cold);

    [KernelFact]
    public Task The_warm_pool_tests_pass_on_cgroup_v2_in_a_user_mode_kernel() => PassInsideAsync(KernelTierRun.Warm);

    [KernelFact]
    public Task The_process_tests_pass_on_cgroup_v2_in_a_user_mode_kernel() => PassInsideAsync(KernelTierRun.Processes);

    private static async Task PassInsideAsync(IReadOnlyList<string> classes)
    {
        Assert.False(KernelUnderTest.IsUserModeV2, "the kernel tier does not nest");
        var run = new KernelTierRun(classes);
        run.WriteInitScript();

        var boot = await UserModeLinux.RunAsync(run.InitScript, "2048M", Budget);

        var results = run.Results();
        var context = $"inner dotnet test (exit {run.InnerExitCode ?? "none"}), in {boot.Took.TotalSeconds:F0} s:\n{Tail(run.Log, 6000)}\n"
            + $"--- user-mode kernel console ---\n{Tail(boot.Console, 3000)}";
        Assert.True(boot.PoweredOff, $"the user-mode kernel did not power off within {Budget}; {context}");
        Assert.True(results.Count > 0, $"no test results came back; {context}");
        var failed = results.Where(r => r.Outcome != "Passed").Select(r => $"| {r.Outcome}: {r.Test}\n{Tail(r.Message, 2000)}").ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {results.Count} failed on cgroup v2:\n{string.Join('\n', failed)}\n{context}");
        var missing = classes.Where(c => !results.Any(r => r.Test.StartsWith(c + ".", StringComparison.Ordinal))).ToList();
        Assert.True(missing.Count == 0, $"classes that ran no test inside: {string.Join(", ", missing)}; {context}");
        Assert.True(run.InnerExitCode == "0", $"inner dotnet test exited {run.InnerExitCode}; {context}");
        Assert.True(run.Leftovers.Trim().Length == 0, $"left behind in the user-mode kernel:\n{run.Leftovers}");
        run.Delete();
    }

    /// <summary>The end of a log, each line behind "| ": the inner run's own summary lines must not read as this run's.</summary>
    private static string Tail(string text, int chars) =>
        string.Join('\n', (text.Length <= chars ? text : "…" + text[^chars..]).Split('\n').Select(line => "| " + line));
}

/// <summary>Runs the kernel tier after every parallel test class, alone.</summary>
[CollectionDefinition(nameof(CgroupV2KernelTests), DisableParallelization = true)]
public sealed class KernelTierRunsAlone;
