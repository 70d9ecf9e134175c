using System.Net.WebSockets;

namespace Codify.ExecutionApi.Piston.Connect;

/// <summary>How Piston's <c>/api/v2/connect</c> ends a connection: its close codes and reasons, reused as Piston sends them.</summary>
public readonly record struct PistonClose(WebSocketCloseStatus Status, string Reason)
{
    /// <summary>A second <c>init</c>.</summary>
    public static PistonClose AlreadyInitialized { get; } = new((WebSocketCloseStatus)4000, "Already Initialized");

    /// <summary>No <c>init</c> within <see cref="PistonConnectOptions.InitTimeoutMilliseconds"/>.</summary>
    public static PistonClose InitializationTimeout { get; } = new((WebSocketCloseStatus)4001, "Initialization Timeout");

    /// <summary>After an <c>error</c> message that says why.</summary>
    public static PistonClose NotifiedError { get; } = new((WebSocketCloseStatus)4002, "Notified Error");

    /// <summary><c>data</c> or <c>signal</c> before <c>init</c>.</summary>
    public static PistonClose NotYetInitialized { get; } = new((WebSocketCloseStatus)4003, "Not yet initialized");

    /// <summary><c>data</c> for a stream other than stdin.</summary>
    public static PistonClose OnlyStdin { get; } = new((WebSocketCloseStatus)4004, "Can only write to stdin");

    /// <summary>A <c>signal</c> that is not one of Piston's signal names.</summary>
    public static PistonClose InvalidSignal { get; } = new((WebSocketCloseStatus)4005, "Invalid signal");

    /// <summary>After <c>exit</c>: the run is over.</summary>
    public static PistonClose JobCompleted { get; } = new((WebSocketCloseStatus)4999, "Job Completed");

    /// <summary>A message over WebSockets:MaxMessageBytes (Piston's <c>ws</c> server closes with 1009 too), after an <c>error</c>.</summary>
    public static PistonClose MessageTooBig { get; } = new(WebSocketCloseStatus.MessageTooBig, "Max payload size exceeded");
}
