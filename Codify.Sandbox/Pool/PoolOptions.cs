using System.ComponentModel.DataAnnotations;

namespace Codify.Sandbox.Pool;

/// <summary>
/// The warm pool: sandboxes started ahead of time, interpreter loaded, waiting for one program each. Section "Sandbox:Pool".
/// Idle sandboxes are budgeted explicitly: each holds one host uid (Isolation:HostUidCount must cover running runs plus the
/// pool), a cgroup capped at <see cref="IdleMemoryBytes"/> and <see cref="IdleProcesses"/>; the run's own limits replace
/// those caps at dispatch. So the pool adds at most (Python + Node) x IdleMemoryBytes of memory and as many tasks.
/// </summary>
public sealed class PoolOptions
{
    public const string Section = "Sandbox:Pool";

    /// <summary>The API's default memory limit per run (Codify.ExecutionApi's LimitOptions), read from the same configuration.</summary>
    public const string ApiDefaultMemoryKey = "Limits:DefaultMemoryBytes";

    /// <summary>Warm Python sandboxes kept ready; 0 disables the pool for Python (every run starts cold).</summary>
    [Range(0, 64)]
    public int Python { get; set; } = 2;

    /// <summary>Warm Node sandboxes kept ready; 0 disables the pool for JavaScript.</summary>
    [Range(0, 64)]
    public int Node { get; set; } = 2;

    /// <summary>
    /// The memory limit the pool prepares runs for: the API's default, so it defaults to <see cref="ApiDefaultMemoryKey"/>
    /// when that is configured, and start-up refuses the two set to different values. Node's heap cap is derived from the
    /// memory limit and fixed when node starts: a JavaScript run with a limit giving another cap starts cold.
    /// </summary>
    [Range(32L << 20, 64L << 30)]
    public long MemoryBytes { get; set; } = 256L << 20;

    /// <summary>Memory limit of an idle warm sandbox's cgroup (an idle node needs ~40 MiB, python ~10 MiB).</summary>
    [Range(16L << 20, 64L << 30)]
    public long IdleMemoryBytes { get; set; } = 96L << 20;

    /// <summary>
    /// Tasks (processes and threads) an idle warm sandbox may hold. An idle node holds ~11, but a pids limit under ~32 stops
    /// node starting its own threads, and one of 4 made bwrap's own setup hang: so at least 32.
    /// </summary>
    [Range(32, 4096)]
    public int IdleProcesses { get; set; } = 32;

    /// <summary>A warm sandbox not ready (interpreter loaded) within this time is discarded.</summary>
    [Range(100, 120_000)]
    public int StartTimeoutMs { get; set; } = 15_000;

    internal int SizeFor(string language) => language switch
    {
        "python" => Python,
        "javascript" => Node,
        _ => 0,
    };
}
