using System.Text.Json.Serialization;

namespace Codify.ExecutionApi.Piston;

/// <summary>Answer of Piston's <c>POST /api/v2/execute</c>. There is no <c>compile</c> stage: both languages are interpreted.</summary>
public sealed record PistonExecuteResponse(string Language, string Version, PistonStageResult Run);

/// <summary>
/// The <c>run</c> stage. <see cref="Output"/> is stdout followed by stderr: the sandbox captures the two streams
/// separately, so their true interleaving is not known. Piston sends null members explicitly, so these do too.
/// </summary>
public sealed record PistonStageResult
{
    public required string Stdout { get; init; }

    public required string Stderr { get; init; }

    public required string Output { get; init; }

    /// <summary>Exit code, or null when the process died of a signal.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? Code { get; init; }

    /// <summary>Name of the signal that ended the process ("SIGKILL"), or null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Signal { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Message { get; init; }

    /// <summary>null on a clean exit, else RE, SG, TO, OL, EL or XX (see <see cref="PistonResultMapper"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Status { get; init; }

    /// <summary>CPU time in milliseconds.</summary>
    [JsonPropertyName("cpu_time")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? CpuTime { get; init; }

    /// <summary>Wall time in milliseconds.</summary>
    [JsonPropertyName("wall_time")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? WallTime { get; init; }

    /// <summary>Peak memory in bytes.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? Memory { get; init; }
}

/// <summary>One entry of Piston's <c>GET /api/v2/runtimes</c>.</summary>
public sealed record PistonRuntime(string Language, string Version, IReadOnlyList<string> Aliases, string? Runtime);
