using System.Text.Json;
using Codify.Contracts;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Runtimes;

/// <summary>
/// The runtimes a Sandbox replica published in <see cref="RedisKeys.Runtimes"/> (the API host may have no interpreter
/// at all), cached for <see cref="RuntimeOptions.CacheSeconds"/>. An empty answer is never cached, so the first
/// publication is seen at once.
/// </summary>
public sealed class RuntimeCatalog(IConnectionMultiplexer redis, IOptions<RuntimeOptions> options, TimeProvider time)
{
    public const string NotPublishedTitle = "Runtimes not available";

    /// <summary>Why the versions cannot be known: no Sandbox replica has published its runtimes yet (none started, or Redis lost them).</summary>
    public const string NotPublishedDetail = "No sandbox has published its runtimes yet, so the installed versions are unknown. Retry later.";

    private volatile Snapshot? _cached;

    /// <returns>The published runtimes in <see cref="Languages.All"/> order; empty when no Sandbox has published yet.</returns>
    public async Task<IReadOnlyList<RuntimeInfo>> GetAllAsync()
    {
        var now = time.GetUtcNow();
        if (_cached is { } cached && cached.ExpiresAt > now)
        {
            return cached.Runtimes;
        }

        var entries = await redis.GetDatabase().HashGetAllAsync(RedisKeys.Runtimes);
        var published = entries
            .Select(e => JsonSerializer.Deserialize<RuntimeInfo>(e.Value.ToString(), CodifyJson.Options))
            .OfType<RuntimeInfo>()
            .ToDictionary(r => r.Language, StringComparer.Ordinal);
        IReadOnlyList<RuntimeInfo> runtimes = [.. Languages.All.Select(l => published.GetValueOrDefault(l.Name)).OfType<RuntimeInfo>()];
        if (runtimes.Count > 0)
        {
            _cached = new Snapshot(runtimes, now.AddSeconds(options.Value.CacheSeconds));
        }

        return runtimes;
    }

    private sealed record Snapshot(IReadOnlyList<RuntimeInfo> Runtimes, DateTimeOffset ExpiresAt);
}
