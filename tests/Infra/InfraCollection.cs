namespace Strata.Infra.Tests;

/// <summary>The test classes that read the compiled template share one build of it.</summary>
[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<CompiledInfra>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "compiled infra";
}
