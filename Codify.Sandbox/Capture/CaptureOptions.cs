using System.ComponentModel.DataAnnotations;

namespace Codify.Sandbox.Capture;

/// <summary>
/// Caps on what one run returns besides its output streams, section "Capture". Over a cap, the rest is left out and the
/// result says so (<c>outputsTruncated</c>, <c>filesTruncated</c>); a run never fails for it.
/// </summary>
public sealed class CaptureOptions
{
    public const string Section = "Capture";

    /// <summary>Rich outputs (figures, values) one run returns at most.</summary>
    [Range(0, 1000)]
    public int MaxOutputs { get; set; } = 20;

    /// <summary>Bytes of rich output data (PNG as base64, HTML, text) one run returns at most, all outputs together.</summary>
    [Range(0, 64L << 20)]
    public long MaxOutputBytes { get; set; } = 4L << 20;

    /// <summary>Files of its work dir one run returns at most (<c>returnFiles</c>).</summary>
    [Range(0, 1000)]
    public int MaxFiles { get; set; } = 20;

    /// <summary>Bytes of returned file content one run returns at most, all files together (before base64).</summary>
    [Range(0, 64L << 20)]
    public long MaxFileBytes { get; set; } = 4L << 20;

    /// <summary>The most the host reads of a channel: every cap's worth as base64 plus room for the records' framing.</summary>
    internal long ChannelReadBytes => MaxOutputBytes + ((MaxFileBytes + 2) / 3 * 4) + ((MaxOutputs + MaxFiles + 2) * 512L);
}
