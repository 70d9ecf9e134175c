using System.ComponentModel.DataAnnotations;

namespace Codify.Sandbox.Sessions;

/// <summary>How this Sandbox replica holds sessions. Section "Sessions" (the Sandbox's; the API has its own keys there).</summary>
public sealed class SessionHostOptions
{
    public const string Section = "Sessions";

    /// <summary>Live sessions this replica holds at once; a start beyond it is offered to another replica.</summary>
    [Range(0, 1000)]
    public int MaxSessionsPerReplica { get; set; } = 8;

    /// <summary>How long a session's interpreter may take to start and say it is ready.</summary>
    [Range(100, 120_000)]
    public int StartTimeoutMs { get; set; } = 15_000;

    /// <summary>After a cell's limit (or a cancel) interrupts it, how long it has to stop before the session's interpreter is killed.</summary>
    [Range(50, 60_000)]
    public int InterruptGraceMs { get; set; } = 1500;

    /// <summary>Largest frame the kernel may send (a file download, base64); a bigger one ends the session as a protocol violation.</summary>
    [Range(1024, 512L << 20)]
    public long MaxFrameBytes { get; set; } = 64L << 20;
}
