using System.Reflection;

namespace Codify.Tests.Infrastructure.Tiers;

/// <summary>A new test class cannot silently escape the tiers: without a tier it would run in none of them.</summary>
[UnitTier]
public sealed class EveryTestClassHasOneTierTests
{
    [Fact]
    public void Every_test_class_has_exactly_one_tier()
    {
        var wrong = typeof(EveryTestClassHasOneTierTests).Assembly.GetTypes()
            .Where(IsTestClass)
            .Select(type => (type, tiers: type.GetCustomAttributes<TierAttribute>(inherit: true).Select(t => t.Tier).ToList()))
            .Where(c => c.tiers.Count != 1)
            .Select(c => $"{c.type.FullName}: {(c.tiers.Count == 0 ? "no tier" : string.Join(", ", c.tiers))}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(wrong.Count == 0, "each test class needs exactly one of [UnitTier], [ApiTier], [SandboxTier], [EndToEndTier], [KernelTier]:\n"
            + string.Join('\n', wrong));
    }

    [Fact]
    public void The_tier_reaches_xunit_as_a_trait()
    {
        var attribute = new Xunit.Sdk.ReflectionAttributeInfo(
            typeof(EveryTestClassHasOneTierTests).GetCustomAttributesData().Single(a => a.AttributeType == typeof(UnitTierAttribute)));

        Assert.Equal([new("Tier", "Unit")], new TierDiscoverer().GetTraits(attribute));
    }

    /// <summary>What xunit runs: a concrete class with a [Fact] or [Theory] method of its own or inherited.</summary>
    private static bool IsTestClass(Type type) =>
        type is { IsClass: true, IsAbstract: false }
        && type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
            .Any(m => m.IsDefined(typeof(FactAttribute), inherit: true));
}
