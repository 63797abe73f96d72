namespace Strata.Core.Backup;

/// <summary>When a layer runs relative to the capture of the API objects.</summary>
public enum LayerTiming
{
    /// <summary>After the objects are committed, one layer after another (database dumps, CloudNativePG, applications).</summary>
    AfterObjects,

    /// <summary>
    /// Started before the objects and run beside them, awaited once they are committed: a layer that mostly waits on
    /// the cluster (volume snapshots) and must neither slow the objects down nor wait for them.
    /// </summary>
    WithObjects,
}
