using Codify.Contracts;

namespace Codify.ExecutionApi.Sockets;

/// <summary>
/// The envelope of every client message: <c>type</c> says what it is; <c>requestId</c> (optional, any text) is echoed in
/// the answer. An <c>execute</c> carries the fields of <c>POST /api/execute</c> next to these.
/// </summary>
public sealed record SocketRequest
{
    public string? Type { get; init; }

    public string? ExecutionId { get; init; }

    public string? RequestId { get; init; }

    /// <summary>For <c>stdin</c>: text for the program's standard input.</summary>
    public string? Data { get; init; }

    /// <summary>For <c>stdin</c>: close the program's standard input after <see cref="Data"/>.</summary>
    public bool? Eof { get; init; }
}

/// <summary>A message of the server that is not an execution event: acknowledgements, errors, <c>overflow</c>, <c>pong</c>.</summary>
public sealed record SocketReply(string Type)
{
    public string? ExecutionId { get; init; }

    public string? RequestId { get; init; }

    /// <summary>For <c>error</c>: a stable code (see <see cref="SocketErrors"/>).</summary>
    public string? Code { get; init; }

    public string? Message { get; init; }

    /// <summary>For a <c>validation</c> error: the problems by field, as in a 400 problem.</summary>
    public IDictionary<string, string[]>? Errors { get; init; }

    /// <summary>For <c>rate_limited</c>, <c>queue_full</c> and <c>unavailable</c>: seconds to wait before trying again.</summary>
    public int? RetryAfter { get; init; }

    /// <summary>For <c>kill_result</c>: <c>cancelled</c> (it was queued), <c>kill_requested</c> (running) or <c>already_finished</c>.</summary>
    public string? Outcome { get; init; }

    /// <summary>For <c>accepted</c>: the new record, same shape as <c>GET /api/execute/{id}</c>.</summary>
    public ExecutionRecord? Execution { get; init; }

    public static SocketReply Error(string code, string message, SocketRequest? request = null) => new("error")
    {
        Code = code,
        Message = message,
        ExecutionId = request?.ExecutionId,
        RequestId = request?.RequestId,
    };

    /// <summary>The last message to a client that read too slowly.</summary>
    public static SocketReply Overflow(int capacity) => new("overflow")
    {
        Code = "overflow",
        Message = $"More than {capacity} messages were waiting for this client (WebSockets:SendBufferMessages): it reads too slowly, "
            + "so the connection is closed. Reconnect and subscribe again; the replay resends every event.",
    };

    public static SocketReply For(string type, SocketRequest request, string? executionId = null, string? message = null) => new(type)
    {
        ExecutionId = executionId ?? request.ExecutionId,
        RequestId = request.RequestId,
        Message = message,
    };
}

/// <summary>The <c>code</c> of an <c>error</c> message.</summary>
public static class SocketErrors
{
    public const string Malformed = "malformed";
    public const string TooLarge = "too_large";
    public const string UnknownType = "unknown_type";
    public const string UnknownExecution = "unknown_execution";
    public const string Validation = "validation";
    public const string Limit = "limit";
    public const string AlreadySubscribed = "already_subscribed";
    public const string NotSubscribed = "not_subscribed";
    public const string RateLimited = "rate_limited";
    public const string QueueFull = "queue_full";
    public const string Unavailable = "unavailable";
    public const string NotInteractive = "not_interactive";
    public const string StdinClosed = "stdin_closed";
}
