using System.Globalization;

namespace Codify.AppHost.Redis;

/// <summary>
/// The one argument list of the app's redis-server, shared by the AppHost and the durability tests, so a test restarts
/// Redis exactly as the app runs it.
/// </summary>
public static class RedisServerArguments
{
    /// <summary>
    /// Loopback only; an append-only file fsynced every second in <paramref name="dataDirectory"/>: work the API accepted
    /// with a 202 (records, queued jobs, event logs, statistics) survives a restart of Redis or of the whole app, losing
    /// at most the last second before a power cut.
    /// </summary>
    public static IReadOnlyList<string> Build(int port, string dataDirectory) =>
    [
        "--port", port.ToString(CultureInfo.InvariantCulture),
        // Loopback only: this Redis has no password and must not be reachable from outside.
        "--bind", RedisServerResource.BindAddress,
        "--dir", dataDirectory,
        "--appendonly", "yes",
        "--appendfsync", "everysec",
        // The append-only file alone is the record; no extra RDB snapshots on a timer.
        "--save", "",
    ];
}
