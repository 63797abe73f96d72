using Strata.Core.Configuration;
using Strata.Core.Ports;

namespace Strata.TestKit.Fakes;

/// <summary>
/// An <see cref="IClusterConnector"/> over in-memory clusters by name; a cluster not in it cannot be
/// reached (the connector says so, as a real one does when the server does not answer).
/// </summary>
public sealed class FakeClusters : IClusterConnector
{
    /// <summary>The clusters, by their name in strata.yaml.</summary>
    public Dictionary<string, IClusterWriter> Clusters { get; } = new(StringComparer.Ordinal);

    /// <summary>How many times each cluster was connected to.</summary>
    public Dictionary<string, int> Connections { get; } = new(StringComparer.Ordinal);

    public Task<IClusterWriter> ConnectAsync(ClusterDefinition cluster, CancellationToken cancellationToken = default)
    {
        lock (Connections)
        {
            Connections[cluster.Name] = Connections.GetValueOrDefault(cluster.Name) + 1;
        }

        return Clusters.TryGetValue(cluster.Name, out var client)
            ? Task.FromResult(client)
            : throw new ClusterRequestException($"cannot reach {cluster.Server}: Connection refused", 0, "Unreachable", isTransient: true);
    }
}
