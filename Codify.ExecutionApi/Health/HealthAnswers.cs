namespace Codify.ExecutionApi.Health;

/// <summary><c>GET /api/health</c>: the API process answers.</summary>
public sealed record BasicHealth(string Status, string Version, DateTimeOffset StartedAt, double UptimeSeconds, DateTimeOffset CheckedAt);

/// <summary><c>GET /api/health/ready</c>: <c>ready</c> or <c>not_ready</c>, why not, and each readiness check.</summary>
public sealed record ReadyHealth(string Status, string? Reason, IReadOnlyDictionary<string, CheckSummary> Checks);

public sealed record CheckSummary(string Status, string? Description);

/// <summary>
/// <c>GET /api/health/detailed</c>: the overall status (the worst check), readiness, versions, uptime, and every check with
/// its data (Redis latency, each sandbox replica, queue length).
/// </summary>
public sealed record DetailedHealth(
    string Status,
    bool Ready,
    DateTimeOffset CheckedAt,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    IReadOnlyDictionary<string, string> Versions,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, object?>> Checks);
