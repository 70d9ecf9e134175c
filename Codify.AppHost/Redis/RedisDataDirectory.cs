using Microsoft.Extensions.Configuration;

namespace Codify.AppHost.Redis;

/// <summary>Where the app's redis-server keeps its append-only file: <c>REDIS_DATA_DIR</c>, else <c>.data/redis</c> in the repository (git-ignored).</summary>
internal static class RedisDataDirectory
{
    public const string SettingName = "REDIS_DATA_DIR";

    public static string Resolve(IConfiguration configuration, string appHostDirectory)
    {
        var directory = configuration[SettingName] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.GetFullPath(Path.Combine(appHostDirectory, "..", ".data", "redis"));
        Directory.CreateDirectory(directory);
        return directory;
    }
}
