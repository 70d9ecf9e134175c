using System.ComponentModel.DataAnnotations;

namespace Codify.ExecutionApi.Piston.Connect;

/// <summary>Piston's interactive WebSocket, <c>/api/v2/connect</c>. Section "Piston:Connect"; the WebSockets section's limits apply too.</summary>
public sealed class PistonConnectOptions
{
    public const string Section = "Piston:Connect";

    /// <summary>How long a new connection may wait before its <c>init</c>; Piston closes after one second (4001).</summary>
    [Range(100, 60_000, ErrorMessage = "Piston:Connect:InitTimeoutMilliseconds must be from {1} to {2}")]
    public int InitTimeoutMilliseconds { get; set; } = 1000;
}
