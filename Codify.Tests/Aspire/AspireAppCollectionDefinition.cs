namespace Codify.Tests.Aspire;

/// <summary>
/// Tests marked <c>[Collection(AspireAppCollectionDefinition.Name)]</c> share one running app,
/// started before the first of them and stopped after the last.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AspireAppCollectionDefinition : ICollectionFixture<AspireAppFixture>
{
    public const string Name = "Aspire app";
}
