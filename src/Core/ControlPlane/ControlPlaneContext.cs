using Strata.Core.Configuration;
using Strata.Core.Ports;

namespace Strata.Core.ControlPlane;

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
