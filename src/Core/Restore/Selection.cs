namespace Strata.Core.Restore;

/// <summary>How the request's filters judge one object.</summary>
internal enum Selection
{
    /// <summary>Left out by the filters.</summary>
    Excluded,

    /// <summary>Restored.</summary>
    Selected,

    /// <summary>A cluster-scoped object restored only if a restored object needs it.</summary>
    IfNeeded,
}
