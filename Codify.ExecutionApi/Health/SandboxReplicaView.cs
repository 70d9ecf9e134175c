using System.Text.Json.Serialization;
using Codify.Contracts;

namespace Codify.ExecutionApi.Health;

/// <summary>
/// One Sandbox replica as the API sees it: <c>healthy</c> (advertised with a fresh heartbeat) or <c>unhealthy</c> with the
/// reason: the one it reported (it cannot isolate), or that its heartbeat stopped. What it last published rides along.
/// </summary>
public sealed record SandboxReplicaView
{
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";

    public required string Id { get; init; }

    public required string Status { get; init; }

    /// <summary>Why it is unhealthy; null when healthy.</summary>
    public string? Reason { get; init; }

    public string? Host { get; init; }

    public int? SlotsTotal { get; init; }

    public int? SlotsFree { get; init; }

    public int? Running { get; init; }

    public SandboxIsolationInfo? Isolation { get; init; }

    public IReadOnlyDictionary<string, string>? Runtimes { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the replica published the numbers above: at every heartbeat and whenever it takes or lets go of a job.</summary>
    public required DateTimeOffset LastBeat { get; init; }

    /// <summary>How old the numbers above are, in seconds.</summary>
    public required double LastBeatAgeSeconds { get; init; }

    [JsonIgnore]
    public bool IsHealthy => Status == Healthy;
}
