using System.ComponentModel.DataAnnotations;

namespace Codify.ExecutionApi.Executions;

/// <summary>Request limits and record lifetime. Section "Executions"; the seed's flat variables override it.</summary>
public sealed class ExecutionOptions
{
    public const string Section = "Executions";

    /// <summary>Largest <c>timeout</c> a request may ask for, in seconds (EXECUTION_TIMEOUT_MAX).</summary>
    [Range(1, 3600, ErrorMessage = "EXECUTION_TIMEOUT_MAX (Executions:ExecutionTimeoutMax) must be from {1} to {2} seconds")]
    public int ExecutionTimeoutMax { get; set; } = 30;

    /// <summary>Wall limit when the request names none, in seconds.</summary>
    [Range(1, 3600)]
    public int DefaultTimeout { get; set; } = 10;

    /// <summary>Largest program, in UTF-8 bytes (CODE_SIZE_LIMIT).</summary>
    [Range(1, 16 * 1024 * 1024, ErrorMessage = "CODE_SIZE_LIMIT (Executions:CodeSizeLimit) must be from {1} to {2} bytes")]
    public int CodeSizeLimit { get; set; } = 50 * 1024;

    /// <summary>Largest standard input, in UTF-8 bytes.</summary>
    [Range(0, 16 * 1024 * 1024)]
    public int StdinSizeLimit { get; set; } = 1024 * 1024;

    /// <summary>Most executions one <c>POST /api/execute/batch</c> may carry.</summary>
    [Range(1, 1000)]
    public int MaxBatchSize { get; set; } = 20;

    /// <summary>How long records stay readable after creation.</summary>
    [Range(60, 30 * 24 * 3600)]
    public int RetentionSeconds { get; set; } = 24 * 3600;

    /// <summary>Longest <c>?wait=true</c> beyond the run's own wall limit, for the queue and sandbox start-up.</summary>
    [Range(1, 600)]
    public int WaitSlackSeconds { get; set; } = 30;

    /// <summary>A Sandbox replica whose heartbeat is older than this is not counted as available.</summary>
    [Range(1, 600)]
    public int SandboxHeartbeatTimeoutSeconds { get; set; } = 6;
}
