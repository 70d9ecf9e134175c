using System.ComponentModel.DataAnnotations;

namespace Codify.ExecutionApi.Sessions;

/// <summary>Sessions as the API admits them: lifetimes, the per-client cap, file caps. Section "Sessions".</summary>
public sealed class SessionOptions
{
    public const string Section = "Sessions";

    /// <summary>A session ends this long after its last cell or file operation, unless the request asks for less or more.</summary>
    [Range(10, 24 * 3600)]
    public int DefaultIdleTimeoutSeconds { get; set; } = 600;

    /// <summary>The longest idle timeout a request may ask for.</summary>
    [Range(10, 24 * 3600)]
    public int MaxIdleTimeoutSeconds { get; set; } = 3600;

    /// <summary>A session ends this long after it was created, whatever it does.</summary>
    [Range(10, 7 * 24 * 3600)]
    public int MaxLifetimeSeconds { get; set; } = 3600;

    /// <summary>Open sessions one client (API key, else address) may hold at once.</summary>
    [Range(1, 10_000)]
    public int MaxSessionsPerClient { get; set; } = 5;

    /// <summary>Largest file uploaded to or downloaded from a session, in bytes (an upload is also bounded by Executions:MaxRequestBodyBytes).</summary>
    [Range(1, 256L << 20)]
    public long MaxFileBytes { get; set; } = 4L << 20;

    /// <summary>Most files a session's work dir may hold for uploads (and that a listing returns).</summary>
    [Range(1, 100_000)]
    public int MaxFiles { get; set; } = 1000;

    /// <summary>Longest file path, in UTF-8 bytes.</summary>
    [Range(1, 4096)]
    public int MaxPathBytes { get; set; } = 255;

    /// <summary>How long the API waits for the session's replica to answer a start, a close or a file operation.</summary>
    [Range(1, 600)]
    public int ReplyTimeoutSeconds { get; set; } = 20;

    /// <summary>How often each API replica ends the sessions of replicas whose heartbeat stopped (see SessionSweep).</summary>
    [Range(1, 3600)]
    public int SweepIntervalSeconds { get; set; } = 5;

    /// <summary>How long an ended session stays readable.</summary>
    [Range(60, 30 * 24 * 3600)]
    public int RetentionSeconds { get; set; } = 3600;
}
