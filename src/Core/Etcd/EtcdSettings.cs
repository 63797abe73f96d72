namespace Strata.Core.Etcd;

/// <summary>
/// A policy's <c>etcd:</c>: each backup snapshots the cluster's etcd (through <c>Maintenance.Snapshot</c> of the
/// usable member furthest along by applied index) and, when asked, copies the control plane's own files from each
/// control-plane node. Null on a policy without it: no etcd layer.
/// </summary>
public sealed record EtcdSettings
{
    /// <summary>How long the snapshot may take when strata.yaml gives no <c>timeout</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Whether each backup takes an etcd snapshot (default true; false for control-plane files only).</summary>
    public bool Snapshot { get; init; } = true;

    /// <summary>How long the snapshot (status readings, member list and the stream) may take.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The control plane's files (PKI, static-pod manifests, kubeconfigs); null: not taken.</summary>
    public ControlPlaneFilesSettings? ControlPlaneFiles { get; init; }

    /// <summary>The line in strata.yaml where it is defined.</summary>
    public int Line { get; init; }
}
