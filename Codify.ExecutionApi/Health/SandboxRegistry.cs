using System.Text.Json;
using Codify.Contracts;
using Codify.ExecutionApi.Executions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Codify.ExecutionApi.Health;

/// <summary>
/// Reads the Sandbox replicas registered in Redis (<see cref="RedisKeys.SandboxReplicas"/>, <see cref="RedisKeys.SandboxesSeen"/>,
/// <see cref="RedisKeys.HealthySandboxes"/>) and judges each one the way the intake's SandboxAvailability does: healthy when
/// advertised with a heartbeat younger than <see cref="ExecutionOptions.SandboxHeartbeatTimeoutSeconds"/>.
/// </summary>
public sealed class SandboxRegistry(IConnectionMultiplexer redis, IOptions<ExecutionOptions> options, TimeProvider time)
{
    public async Task<IReadOnlyList<SandboxReplicaView>> ReadAsync()
    {
        var db = redis.GetDatabase();
        var infos = db.HashGetAllAsync(RedisKeys.SandboxReplicas);
        var seen = db.SortedSetRangeByRankWithScoresAsync(RedisKeys.SandboxesSeen);
        var healthy = db.SortedSetRangeByRankWithScoresAsync(RedisKeys.HealthySandboxes);
        await Task.WhenAll(infos, seen, healthy);

        var published = (await infos).ToDictionary(e => e.Name.ToString(), e => Parse(e.Value));
        var beats = (await seen).ToDictionary(e => e.Element.ToString(), e => e.Score);
        var advertised = (await healthy).ToDictionary(e => e.Element.ToString(), e => e.Score);
        var ids = published.Keys.Union(beats.Keys).Union(advertised.Keys).Order(StringComparer.Ordinal);
        return [.. ids.Select(id => Judge(id, published.GetValueOrDefault(id), beats, advertised))];
    }

    private SandboxReplicaView Judge(
        string id, SandboxReplicaInfo? info, Dictionary<string, double> beats, Dictionary<string, double> advertised)
    {
        var now = time.GetUtcNow();
        var timeout = TimeSpan.FromSeconds(options.Value.SandboxHeartbeatTimeoutSeconds);
        double[] scores = [.. new[] { beats, advertised }.Where(s => s.ContainsKey(id)).Select(s => s[id])];
        var lastBeat = scores.Length > 0
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)scores.Max())
            : info?.LastBeat ?? DateTimeOffset.UnixEpoch;
        var age = now - lastBeat;
        var fresh = age <= timeout;
        string? reason = null;
        if (!fresh)
        {
            reason = $"no heartbeat for {age.TotalSeconds:0} s (a replica counts as lost after {timeout.TotalSeconds:0} s)";
        }
        else if (!advertised.ContainsKey(id))
        {
            reason = info is { Ready: false } ? info.Reason : "not advertised as able to isolate";
        }

        return new SandboxReplicaView
        {
            Id = id,
            Status = reason is null ? SandboxReplicaView.Healthy : SandboxReplicaView.Unhealthy,
            Reason = reason,
            Host = info?.Host,
            SlotsTotal = info?.SlotsTotal,
            SlotsFree = info?.SlotsFree,
            Running = info?.Running,
            Isolation = info?.Isolation,
            Runtimes = info?.Runtimes,
            StartedAt = info?.StartedAt,
            LastBeat = lastBeat,
            LastBeatAgeSeconds = Math.Round(Math.Max(0, age.TotalSeconds), 1),
        };
    }

    private static SandboxReplicaInfo? Parse(RedisValue json)
    {
        try
        {
            return JsonSerializer.Deserialize<SandboxReplicaInfo>(json.ToString(), CodifyJson.Options);
        }
        catch (JsonException)
        {
            return null; // a replica of another version: still listed, by its heartbeat
        }
    }
}
