namespace Strata.Core.Databases.CloudNativePg;

/// <summary>
/// One CloudNativePG <c>Cluster</c> a policy protects (an entry of a policy's <c>cloudNativePG:</c> in strata.yaml): each
/// backup asks the operator for a base backup of it by creating a <c>Backup</c>, and waits for it.
/// </summary>
public sealed record CloudNativePgTarget
{
    /// <summary>How long a backup waits for the operator when strata.yaml gives no <c>timeout</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromHours(1);

    /// <summary>The Cluster's namespace.</summary>
    public required string Namespace { get; init; }

    /// <summary>The Cluster's name.</summary>
    public required string Cluster { get; init; }

    /// <summary>The backup method; null: as the Cluster is configured (<see cref="CloudNativePgClusterSpec.BackupMethod"/>).</summary>
    public CloudNativePgMethod? Method { get; init; }

    /// <summary>How long a backup waits for the operator to finish the <c>Backup</c>.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The line in strata.yaml where the target is defined.</summary>
    public int Line { get; init; }

    /// <summary>For messages: <c>shop/pg-main</c>.</summary>
    public string Qualified => $"{Namespace}/{Cluster}";
}
