using System.ComponentModel.DataAnnotations;

namespace Codify.ExecutionApi.Sockets;

/// <summary>The WebSocket endpoints (<c>/</c> and <c>/ws</c>; the limits hold for Piston's <c>/api/v2/connect</c> too). Section "WebSockets".</summary>
public sealed class SocketOptions
{
    public const string Section = "WebSockets";

    /// <summary>Open WebSockets one client (API key, else IP address) may hold on one API replica.</summary>
    [Range(1, 100_000, ErrorMessage = "WebSockets:MaxConnectionsPerClient must be from {1} to {2}")]
    public int MaxConnectionsPerClient { get; set; } = 20;

    /// <summary>Executions one WebSocket may follow at once (subscriptions and its own <c>execute</c>s).</summary>
    [Range(1, 10_000, ErrorMessage = "WebSockets:MaxSubscriptionsPerConnection must be from {1} to {2}")]
    public int MaxSubscriptionsPerConnection { get; set; } = 32;

    /// <summary>Messages waiting to be sent to one client; beyond it the client gets <c>overflow</c> and is disconnected.</summary>
    [Range(2, 1_000_000, ErrorMessage = "WebSockets:SendBufferMessages must be from {1} to {2}")]
    public int SendBufferMessages { get; set; } = 256;

    /// <summary>How long a full send buffer may stay full (a burst drains that fast to a client that reads) before the client counts as too slow.</summary>
    [Range(0, 60_000, ErrorMessage = "WebSockets:OverflowGraceMilliseconds must be from {1} to {2}")]
    public int OverflowGraceMilliseconds { get; set; } = 2000;

    /// <summary>Seconds between pings on an idle connection; a client that does not answer within as long again is dropped.</summary>
    [Range(1, 3600, ErrorMessage = "WebSockets:KeepAliveSeconds must be from {1} to {2}")]
    public int KeepAliveSeconds { get; set; } = 30;

    /// <summary>Largest message a client may send, in bytes (an <c>execute</c> carries the whole request).</summary>
    [Range(1024, 256 << 20, ErrorMessage = "WebSockets:MaxMessageBytes must be from {1} to {2} bytes")]
    public int MaxMessageBytes { get; set; } = 4 << 20;

    /// <summary>How long a closing connection may take to flush its last messages before it is cut off.</summary>
    [Range(1, 300, ErrorMessage = "WebSockets:CloseTimeoutSeconds must be from {1} to {2}")]
    public int CloseTimeoutSeconds { get; set; } = 10;

    /// <summary>Whether an execution started with <c>execute</c> is cancelled when its WebSocket closes.</summary>
    public bool CancelOnDisconnect { get; set; } = true;
}
