using Strata.Core.Kubernetes;

namespace Strata.Core.Databases.CloudNativePg;

/// <summary>The parts of CloudNativePG's API (<c>postgresql.cnpg.io/v1</c>) Strata reads and writes, by their wire names.</summary>
public static class CloudNativePgApi
{
    /// <summary>The API group.</summary>
    public const string Group = "postgresql.cnpg.io";

    /// <summary>The API version Strata speaks.</summary>
    public const string Version = "v1";

    /// <summary><c>postgresql.cnpg.io/v1</c>.</summary>
    public const string ApiVersion = Group + "/" + Version;

    /// <summary>The <c>Backup</c> phase of a base backup that finished well.</summary>
    public const string Completed = "completed";

    /// <summary>The <c>Backup</c> phase of a base backup that failed (its <c>status.error</c> says why).</summary>
    public const string Failed = "failed";

    /// <summary>The phase of a Backup the operator will not take because the Cluster's WAL archiving is failing: an end, like <see cref="Failed"/>.</summary>
    public const string WalArchivingFailing = "walArchivingFailing";

    /// <summary>The Cluster condition the instance manager keeps on WAL archiving.</summary>
    public const string ContinuousArchiving = "ContinuousArchiving";

    /// <summary>The label the operator puts on a cluster's objects; Strata puts it on the Backups it creates, too.</summary>
    public const string ClusterLabel = "cnpg.io/cluster";

    /// <summary>The label linking a Backup to the Strata backup that asked for it.</summary>
    public const string BackupIdLabel = StrataLabels.BackupId;

    /// <summary>The label naming the Strata policy that asked for a Backup.</summary>
    public const string PolicyLabel = StrataLabels.Policy;

    /// <summary>The well-known label naming who manages an object.</summary>
    public const string ManagedByLabel = StrataLabels.ManagedBy;

    /// <summary>CloudNativePG's Clusters.</summary>
    public static readonly ApiResource Clusters = new(Group, Version, "clusters", "Cluster", true, ["get", "list"]);

    /// <summary>CloudNativePG's Backups.</summary>
    public static readonly ApiResource Backups = new(Group, Version, "backups", "Backup", true, ["get", "list", "create"]);

    /// <summary>The method's wire name (<c>barmanObjectStore</c>, <c>volumeSnapshot</c>, <c>plugin</c>).</summary>
    public static string WireName(CloudNativePgMethod method) => method switch
    {
        CloudNativePgMethod.BarmanObjectStore => "barmanObjectStore",
        CloudNativePgMethod.VolumeSnapshot => "volumeSnapshot",
        _ => "plugin",
    };

    /// <summary>The method of a wire name, or null.</summary>
    public static CloudNativePgMethod? ParseMethod(string? text) => text switch
    {
        "barmanObjectStore" => CloudNativePgMethod.BarmanObjectStore,
        "volumeSnapshot" => CloudNativePgMethod.VolumeSnapshot,
        "plugin" => CloudNativePgMethod.Plugin,
        _ => null,
    };
}
