using Xunit.Abstractions;
using Xunit.Sdk;

namespace Codify.Tests.Infrastructure.Tiers;

/// <summary>Turns a <see cref="TierAttribute"/> into the trait <c>Tier=Name</c> (named by the attribute's TraitDiscoverer).</summary>
public sealed class TierDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        if (traitAttribute is IReflectionAttributeInfo { Attribute: TierAttribute tier })
        {
            yield return new(TierAttribute.TraitName, tier.Tier);
        }
    }
}
