namespace Strata.Core.Etcd;

/// <summary>
/// What the etcd layer of a backup did (the manifest's <c>etcd</c>): the snapshot and the control-plane files it
/// committed, or why a part does not apply (a managed control plane) or was left off (keys not yet encrypted).
/// </summary>
public sealed record EtcdLayerRecord
{
    /// <summary>The committed snapshot; null when none was taken (see <see cref="NotApplicable"/> and the backup's problems).</summary>
    public EtcdSnapshotRecord? Snapshot { get; init; }

    /// <summary>Why the cluster has no etcd to snapshot (<c>managed control plane (AKS)</c>); null when it has one.</summary>
    public string? NotApplicable { get; init; }

    /// <summary>Each control-plane node's committed files.</summary>
    public IReadOnlyList<ControlPlaneFilesRecord> ControlPlaneFiles { get; init; } = [];

    /// <summary>Why the control-plane files were not taken although the policy names them (no <c>allowUnencryptedKeys</c>); null otherwise.</summary>
    public string? ControlPlaneFilesOff { get; init; }
}
