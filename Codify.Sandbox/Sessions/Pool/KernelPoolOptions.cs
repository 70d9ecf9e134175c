using System.ComponentModel.DataAnnotations;

namespace Codify.Sandbox.Sessions.Pool;

/// <summary>
/// Session kernels started ahead of time, per language, each handed over to one new session (section "Sessions:Pool").
/// Each idle kernel holds a host uid and a cgroup capped at <see cref="IdleMemoryBytes"/> and <see cref="IdleProcesses"/>
/// until the session's own limits replace those caps at handover.
/// </summary>
public sealed class KernelPoolOptions
{
    public const string Section = "Sessions:Pool";

    /// <summary>Python kernels kept ready; 0: every python session starts its own kernel.</summary>
    [Range(0, 32)]
    public int Python { get; set; } = 2;

    /// <summary>Node kernels kept ready; 0: every javascript session starts its own kernel.</summary>
    [Range(0, 32)]
    public int Node { get; set; } = 1;

    /// <summary>Memory cap of an idle kernel's cgroup (a python kernel with numpy, pandas and matplotlib loaded holds ~100 MiB).</summary>
    [Range(32L << 20, 64L << 30)]
    public long IdleMemoryBytes { get; set; } = 384L << 20;

    /// <summary>Tasks an idle kernel may hold (its threads: numpy's BLAS starts one per core).</summary>
    [Range(32, 4096)]
    public int IdleProcesses { get; set; } = 64;

    /// <summary>
    /// Modules a pooled python kernel imports before it is handed over (comma-separated), so a session's own imports of them
    /// are instant; matplotlib.pyplot also draws one figure (fonts, the Agg renderer). Empty: none.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9_.,]*$")]
    public string PythonPreload { get; set; } = "numpy,pandas,matplotlib.pyplot";

    internal int SizeFor(string language) => language switch
    {
        "python" => Python,
        "javascript" => Node,
        _ => 0,
    };

    internal IReadOnlyList<string> PreloadFor(string language) =>
        language == "python" ? PythonPreload.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
}
