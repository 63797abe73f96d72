namespace Strata.Core.Databases.CloudNativePg;

/// <summary>How CloudNativePG takes a base backup: the values of a <c>Backup</c>'s <c>spec.method</c>.</summary>
public enum CloudNativePgMethod
{
    /// <summary><c>barmanObjectStore</c>: Barman Cloud, to the object store of the Cluster's <c>spec.backup.barmanObjectStore</c>.</summary>
    BarmanObjectStore,

    /// <summary><c>volumeSnapshot</c>: CSI snapshots of the instance's volumes, as the Cluster's <c>spec.backup.volumeSnapshot</c> says.</summary>
    VolumeSnapshot,

    /// <summary><c>plugin</c>: a CNPG-I plugin (the Cluster's WAL-archiver plugin, e.g. <c>barman-cloud.cloudnative-pg.io</c>).</summary>
    Plugin,
}
