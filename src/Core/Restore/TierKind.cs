namespace Strata.Core.Restore;

/// <summary>What a tier holds: the resources it lists, or one of the two catch-all stages.</summary>
public enum TierKind
{
    /// <summary>The resources named in <see cref="RestoreTier.Resources"/>.</summary>
    Listed,

    /// <summary>Built-in resources no tier lists.</summary>
    OtherBuiltIn,

    /// <summary>Resources served by CustomResourceDefinitions that no tier lists.</summary>
    CustomResources,
}
