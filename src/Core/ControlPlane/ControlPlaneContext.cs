using Strata.Core.Configuration;
using Strata.Core.Ports;

namespace Strata.Core.ControlPlane;

/// <summary>Tuning of the control plane.</summary>
public sealed record ControlPlaneOptions
{
    /// <summary>How long a backup holds its (policy, cluster) lease; a worker that dies frees it after this. Default 6 h.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Backup capture tuning.</summary>
    public Backup.BackupCaptureOptions Capture { get; init; } = new();

    /// <summary>Restore tuning.</summary>
    public Restore.RestoreOptions Restore { get; init; } = new();
}

/// <summary>Everything the functions share: configuration, the ports, the clock.</summary>
/// <param name="Configuration">strata.yaml.</param>
/// <param name="Clusters">Reaches clusters.</param>
/// <param name="Stores">The artifact store.</param>
/// <param name="History">Run records.</param>
/// <param name="State">Leases, schedule marks, rejected messages, alerts.</param>
/// <param name="Time">The clock.</param>
/// <param name="Options">Tuning.</param>
public sealed record ControlPlaneContext(
    StrataConfiguration Configuration,
    IClusterConnector Clusters,
    IArtifactStores Stores,
    IRunHistory History,
    IControlState State,
    TimeProvider Time,
    ControlPlaneOptions Options);
