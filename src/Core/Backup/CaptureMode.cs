namespace Strata.Core.Backup;

/// <summary>How one resource type is captured.</summary>
public enum CaptureMode
{
    /// <summary>Namespaced: listed in the namespaces in scope, with the label selector.</summary>
    Namespaced,

    /// <summary>Cluster-scoped, listed in full with the label selector.</summary>
    Full,

    /// <summary>Cluster-scoped: only the objects captured namespaced objects need.</summary>
    Needed,

    /// <summary>Cluster-scoped: those matching the selector, and those needed whatever their labels.</summary>
    FullAndNeeded,
}
