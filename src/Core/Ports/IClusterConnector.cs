using Strata.Core.Configuration;

namespace Strata.Core.Ports;

/// <summary>Reaches a configured cluster: resolves its credentials and returns a client.</summary>
public interface IClusterConnector
{
    /// <summary>A client for <paramref name="cluster"/>; throws with a reason (never a secret) when it cannot be reached or its configuration is unusable.</summary>
    Task<IClusterWriter> ConnectAsync(ClusterDefinition cluster, CancellationToken cancellationToken = default);
}
