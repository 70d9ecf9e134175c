namespace Codify.Sandbox.Supervision;

/// <summary>Everything the supervisor saw of one run, before it is turned into a verdict.</summary>
public sealed record RunObservation
{
    public required int ExitCode { get; init; }
    public required long WallTimeMs { get; init; }
    public long? CpuTimeMs { get; init; }
    public long? MemoryPeakBytes { get; init; }
    public bool OomKilled { get; init; }
    public bool WallExpired { get; init; }
    public bool CpuExpired { get; init; }
    public bool Cancelled { get; init; }

    /// <summary>The run's own launch-wrapper failure marker (<see cref="Launch.LaunchCommand.NewFailureMarker"/>); null: none to look for.</summary>
    public string? LaunchFailureMarker { get; init; }

    /// <summary>The run ended without an exit status of its own because what carried it died (<see cref="ISupervisedRun.Lost"/>).</summary>
    public string? Lost { get; init; }
}
