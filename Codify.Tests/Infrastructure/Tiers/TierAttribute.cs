using Xunit.Sdk;

namespace Codify.Tests.Infrastructure.Tiers;

/// <summary>
/// The tier of a test class, seen by xunit as the trait <c>Tier=Name</c>, so that <c>dotnet test --filter Tier=Unit</c>
/// runs one tier alone. Every test class carries exactly one (<see cref="EveryTestClassHasOneTierTests"/>); derived
/// test classes inherit their base's.
/// </summary>
[TraitDiscoverer("Codify.Tests.Infrastructure.Tiers.TierDiscoverer", "Codify.Tests")]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public abstract class TierAttribute(string tier) : Attribute, ITraitAttribute
{
    public const string TraitName = "Tier";

    public string Tier { get; } = tier;
}

/// <summary>Pure logic and in-memory fakes (temporary files at most): no child process, no Redis, no socket.</summary>
public sealed class UnitTierAttribute() : TierAttribute("Unit");

/// <summary>The API and/or the Sandbox service in-process (or a real socket) against a real redis-server.</summary>
public sealed class ApiTierAttribute() : TierAttribute("Api");

/// <summary>The sandbox's own machinery for real: bubblewrap, cgroups, seccomp, interpreters (root).</summary>
public sealed class SandboxTierAttribute() : TierAttribute("Sandbox");

/// <summary>The whole app started by the Aspire AppHost (DistributedApplicationTestingBuilder).</summary>
public sealed class EndToEndTierAttribute() : TierAttribute("EndToEnd");

/// <summary>
/// The Sandbox tier's isolation and limit tests run again inside a user-mode Linux kernel with cgroup v2 (the
/// <c>user-mode-linux</c> package): the v2 driver against the real kernel. Slow: it boots a kernel and a test host in it.
/// </summary>
public sealed class KernelTierAttribute() : TierAttribute("Kernel");
