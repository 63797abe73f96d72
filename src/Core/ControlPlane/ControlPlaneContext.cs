using Strata.Core.Configuration;
using Strata.Core.Ports;

namespace Strata.Core.ControlPlane;

/// <summary>Everything the functions share: configuration, the ports (alert channels among them, <see cref="AlertChannels"/>), the clock.</summary>
/// <param name="Configuration">strata.yaml.</param>
/// <param name="Clusters">Reaches clusters.</param>
/// <param name="Stores">The artifact store.</param>
/// <param name="History">Run records.</param>
/// <param name="State">Leases, schedule marks, rejected messages, alert incidents and channel health.</param>
/// <param name="Time">The clock.</param>
/// <param name="Options">Tuning.</param>
public sealed record ControlPlaneContext(
    StrataConfiguration Configuration,
    IClusterConnector Clusters,
    IArtifactStores Stores,
    IRunHistory History,
    IControlState State,
    TimeProvider Time,
    ControlPlaneOptions Options)
{
    /// <summary>
    /// Delivers alerts to the channels strata.yaml names (the alert dispatcher's port). Hosts set it
    /// (<c>ControlPlaneFactory</c> wires the HTTP channels); left out, every delivery fails as
    /// <see cref="UnwiredAlertChannels"/> and is recorded as such.
    /// </summary>
    public IAlertChannels AlertChannels { get; init; } = UnwiredAlertChannels.Instance;

    /// <summary>Pings the dead man's switch every schedule tick (<see cref="StrataConfiguration.Heartbeat"/>); hosts set it, as <see cref="AlertChannels"/>.</summary>
    public IHeartbeat Heartbeat { get; init; } = UnwiredHeartbeat.Instance;

    /// <summary>Runs database tools on this host (direct database targets); hosts set it, as <see cref="AlertChannels"/>.</summary>
    public IHostCommands HostCommands { get; init; } = UnwiredHostCommands.Instance;

    /// <summary>Reads secret references (database passwords) when they are needed; hosts set it, as <see cref="AlertChannels"/>.</summary>
    public ISecretValues Secrets { get; init; } = UnwiredSecretValues.Instance;

    /// <summary>Reaches clusters' etcd members (the etcd layer); hosts set it, as <see cref="AlertChannels"/>.</summary>
    public Etcd.IEtcdConnector Etcd { get; init; } = Core.Etcd.UnwiredEtcd.Instance;

    /// <summary>
    /// The keys that wrap each encrypted backup's data key and unwrap it again, and the manifest signer (strata.yaml's
    /// <c>encryption:</c>); hosts build it (<c>KeyringFactory</c>). Default: none — nothing is encrypted or signed.
    /// </summary>
    public Encryption.Keyring Keyring { get; init; } = Encryption.Keyring.None;

    /// <summary>Restore tuning with this control plane's keys: what restores and drills open backups with.</summary>
    public Restore.RestoreOptions RestoreOptions => Options.Restore with { Keyring = Keyring };

    /// <summary>Rebuilds etcd snapshots on this host (the rebuild drill); hosts that have the tools set it.</summary>
    public Etcd.IEtcdRehearsals EtcdRehearsals { get; init; } = Core.Etcd.UnwiredEtcd.Instance;

    /// <summary>
    /// A client for the cluster strata.yaml names <paramref name="cluster"/>; a name it does not have fails as a cluster
    /// that cannot be reached (<see cref="ClusterRequestException"/>, not transient), with the reason.
    /// </summary>
    public Task<IClusterWriter> ConnectAsync(string cluster, CancellationToken cancellationToken = default) =>
        Configuration.FindCluster(cluster) is { } definition
            ? Clusters.ConnectAsync(definition, cancellationToken)
            : Task.FromException<IClusterWriter>(new ClusterRequestException($"cluster '{cluster}' is not in {Configuration.Source}", 0, "NotConfigured", isTransient: false));
}
