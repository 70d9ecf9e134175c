using System.Xml.Linq;
using Codify.Tests.Infrastructure;

namespace Codify.Tests.Kernel;

/// <summary>
/// One run of the shared Sandbox test classes inside the user-mode kernel: writes the init script into a host folder
/// (visible inside through hostfs), boots, and reads back what the inner <c>dotnet test</c> wrote there.
/// </summary>
internal sealed class KernelTierRun
{
    /// <summary>
    /// The test classes both drivers must pass: v1 on the host (Tier=Sandbox), v2 in the user-mode kernel. In three groups,
    /// one boot each, so that each stays well under test.sh's 5-minute hang limit even on a loaded machine.
    /// MemoryHostileTests is left out: its small-step growth makes the kernel reclaim (and re-read through hostfs) the
    /// interpreter's own pages near the limit for minutes there; the OOM verdict is covered cold (BubblewrapRunnerTests),
    /// warm (WarmPoolTests) and at the driver (ReusableCgroupRunTests).
    /// </summary>
    public static readonly string[] Cold = ["Codify.Tests.Sandbox.Cold.BubblewrapRunnerTests", "Codify.Tests.Sandbox.Hostile.CpuAndTimeHostileTests"];

    /// <summary>
    /// Warm pool dispatch (served warm, asserted through the runs metric), the reusable run's cgroup itself, and forked runs
    /// (the fork server's preforked cgroups, uids, namespaces and replacement on cgroup v2).
    /// </summary>
    public static readonly string[] Warm = ["Codify.Tests.Sandbox.Pool.WarmPoolTests", "Codify.Tests.Sandbox.Cgroups.ReusableCgroupRunTests", "Codify.Tests.Sandbox.ForkServer.ForkedRunTests"];

    /// <summary>Pids limits, fork bombs and daemons: every process of a run dies with it.</summary>
    public static readonly string[] Processes = ["Codify.Tests.Sandbox.Hostile.ProcessHostileTests"];

    /// <summary>The delegated cgroup the init script prepares, as systemd would for a unit with Delegate=yes.</summary>
    public const string Home = "/sys/fs/cgroup/codify-kernel-tier.service";

    public KernelTierRun(IReadOnlyList<string> classes)
    {
        Classes = classes;
        // Beside the test assembly: the init script keeps that folder visible even when it lies below /tmp.
        Folder = Path.Combine(AppContext.BaseDirectory, "kernel-tier", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public IReadOnlyList<string> Classes { get; }

    public string InitScript => Path.Combine(Folder, "init.sh");

    public string Log => Read("dotnet-test.log");

    public string Leftovers => Read("leftovers.txt");

    public string? InnerExitCode => File.Exists(Path.Combine(Folder, "exit")) ? Read("exit").Trim() : null;

    public void WriteInitScript()
    {
        var filter = string.Join('|', Classes.Select(c => $"FullyQualifiedName~{c}."));
        var script = $$"""
            #!/bin/sh
            # init of the user-mode kernel: the host's files are its root (hostfs); fresh proc, sys, tmp, run and cgroup2.
            out='{{Folder}}'
            mount -t proc proc /proc
            mount -t sysfs sys /sys
            mount -t tmpfs run /run
            {{KeepUnderTmp()}}
            mkdir -p /dev/shm && mount -t tmpfs shm /dev/shm
            mount -t cgroup2 cgroup2 /sys/fs/cgroup
            # dotnet test talks to its test host over loopback; no other network.
            ip link set lo up
            export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp/home DOTNET_CLI_HOME=/tmp/home
            export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 {{KernelUnderTest.Variable}}=v2
            mkdir -p "$HOME"
            # A cgroup delegated as systemd delegates a unit with Delegate=yes: controllers offered, trusted.delegate set.
            echo '+cpu +memory +pids' > /sys/fs/cgroup/cgroup.subtree_control
            mkdir {{Home}}
            python3 -c "import os; os.setxattr('{{Home}}', 'trusted.delegate', b'1')"
            echo $$ > {{Home}}/cgroup.procs
            cd '{{AppContext.BaseDirectory}}'
            dotnet test '{{typeof(KernelTierRun).Assembly.Location}}' --filter '{{filter}}' \
              --logger 'trx;LogFileName=result.trx' --logger 'console;verbosity=normal' --results-directory "$out" > "$out/dotnet-test.log" 2>&1
            echo $? > "$out/exit"
            # Whatever runs, run cgroups or run folders the tests left behind.
            { find {{Home}}/codify -mindepth 1 -type d; ls -d /tmp/codify-test-runs-* 2>/dev/null; } > "$out/leftovers.txt" 2>&1
            poweroff -f
            """;
        File.WriteAllText(InitScript, script.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(InitScript, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>
    /// Mounts the fresh /tmp. A checkout below /tmp (a CI clone) would vanish under it with the test assembly: its top
    /// folder is bound back in through /run.
    /// </summary>
    private static string KeepUnderTmp()
    {
        var relative = Path.GetRelativePath("/tmp", AppContext.BaseDirectory);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return "mount -t tmpfs tmp /tmp";
        }

        var top = "/tmp/" + relative.Split('/')[0];
        return $"mkdir -p /run/host-tmp && mount --bind '{top}' /run/host-tmp && mount -t tmpfs tmp /tmp && mkdir -p '{top}' && mount --bind /run/host-tmp '{top}'";
    }

    /// <summary>Per test: its full name and outcome ("Passed", "Failed", "NotExecuted") and the failure message.</summary>
    public IReadOnlyList<(string Test, string Outcome, string Message)> Results()
    {
        var trx = Path.Combine(Folder, "result.trx");
        if (!File.Exists(trx))
        {
            return [];
        }

        XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        return XDocument.Load(trx).Descendants(ns + "UnitTestResult")
            .Select(r => ((string?)r.Attribute("testName") ?? "", (string?)r.Attribute("outcome") ?? "",
                (string?)r.Descendants(ns + "Message").FirstOrDefault() ?? ""))
            .ToList();
    }

    public void Delete() => Directory.Delete(Folder, recursive: true);

    private string Read(string file) => File.Exists(Path.Combine(Folder, file)) ? File.ReadAllText(Path.Combine(Folder, file)) : $"({file} not written)";
}
