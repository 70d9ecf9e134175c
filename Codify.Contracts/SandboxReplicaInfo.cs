namespace Codify.Contracts;

/// <summary>
/// What one Sandbox replica publishes about itself at every heartbeat, in <see cref="RedisKeys.SandboxReplicas"/>:
/// whether it can isolate (and why not), its slots, how it isolates and what it runs. Slot counts are as of <see cref="LastBeat"/>.
/// </summary>
public sealed record SandboxReplicaInfo
{
    public required string Id { get; init; }

    /// <summary>The machine it runs on.</summary>
    public required string Host { get; init; }

    /// <summary>Whether it can isolate programs and takes jobs.</summary>
    public required bool Ready { get; init; }

    /// <summary>What its isolation probe last found: the verification, or why it refuses to run code.</summary>
    public required string Reason { get; init; }

    public required int SlotsTotal { get; init; }

    public required int SlotsFree { get; init; }

    /// <summary>Programs running on it right now.</summary>
    public required int Running { get; init; }

    public required SandboxIsolationInfo Isolation { get; init; }

    /// <summary>Language name → the version its interpreter printed on this replica.</summary>
    public required IReadOnlyDictionary<string, string> Runtimes { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset LastBeat { get; init; }
}

/// <summary>
/// How a replica isolates: the cgroup driver (<c>v1</c>, <c>v2</c> or <c>none</c>) and where, whether its seccomp filter
/// was built (<c>enabled</c>, else <c>unavailable: reason</c>), and the bubblewrap version (null when it did not answer).
/// </summary>
public sealed record SandboxIsolationInfo(string Cgroup, string CgroupDetail, string Seccomp, string? Bubblewrap);
