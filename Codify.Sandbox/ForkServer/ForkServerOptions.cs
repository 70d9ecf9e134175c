using System.ComponentModel.DataAnnotations;

namespace Codify.Sandbox.ForkServer;

/// <summary>
/// The python fork server (Sandbox:Mode = ForkServer), section "Sandbox:ForkServer". Its host uids are a range of their own,
/// apart from Isolation:HostUid*: the server runs as <see cref="HostUidBase"/>, each forked run as one of the next
/// <see cref="HostUidCount"/> - 1 uids, leased like the pool's (one per concurrent run, replicas included). The budget:
/// running runs plus <see cref="Prefork"/> idle children for the current server and as many for one being replaced.
/// </summary>
public sealed class ForkServerOptions
{
    public const string Section = "Sandbox:ForkServer";

    [Range(70000, int.MaxValue - 100_000)]
    public int HostUidBase { get; set; } = 1_800_000;

    /// <summary>Uids mapped into the server's user namespace: its own plus one per concurrent forked run.</summary>
    [Range(2, 65_536)]
    public int HostUidCount { get; set; } = 1024;

    /// <summary>Children forked, isolated and joined to their cgroup ahead of time, waiting for a program.</summary>
    [Range(1, 64)]
    public int Prefork { get; set; } = 4;

    /// <summary>A server is replaced after this many runs (a fresh hash seed, address layout and heap).</summary>
    [Range(1, 10_000_000)]
    public int RecycleAfterRuns { get; set; } = 1000;

    /// <summary>... or after this many minutes, whichever comes first.</summary>
    [Range(1, 24 * 60)]
    public int RecycleAfterMinutes { get; set; } = 30;

    /// <summary>Memory limit of the server's own cgroup (the preloaded interpreter; runs have cgroups of their own).</summary>
    [Range(64L << 20, 64L << 30)]
    public long MemoryBytes { get; set; } = 1L << 30;

    /// <summary>Modules the server imports once for every run (comma-separated).</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_.,]*$")]
    public string Preload { get; set; } = "numpy,pandas,matplotlib,matplotlib.pyplot";

    /// <summary>
    /// Also keep a second server with nothing preloaded, for programs that name none of the preloaded modules: a fork of a
    /// bare interpreter copies and tears down a tenth of the page tables of one with numpy, pandas and matplotlib mapped
    /// (measured: 1.3 against 12.7 ms of CPU per two-process fork).
    /// </summary>
    public bool Lean { get; set; } = true;

    /// <summary>A server not ready (preloads imported) within this time is given up (and python runs fall back).</summary>
    [Range(1000, 300_000)]
    public int StartTimeoutMs { get; set; } = 30_000;

    /// <summary>Servers kept at once (the preloaded one, and the lean one when <see cref="Lean"/>).</summary>
    internal int Servers => Lean ? 2 : 1;

    /// <summary>The lean server's settings: these, with nothing preloaded (both servers share the uid range and its pool).</summary>
    internal ForkServerOptions LeanVariant()
    {
        var lean = (ForkServerOptions)MemberwiseClone();
        lean.Preload = "";
        lean.Unused = !Lean;
        return lean;
    }

    /// <summary>Set on the lean variant when <see cref="Lean"/> is off: that server is never started.</summary>
    internal bool Unused { get; private set; }

    /// <summary>Uids the runs may lease: the range after the server's own.</summary>
    internal (int First, int Count) RunUids => (HostUidBase + 1, HostUidCount - 1);
}
