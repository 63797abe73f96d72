using Strata.Core.Ports;

namespace Strata.Core.Etcd;

/// <summary>
/// Recognises a managed control plane (AKS, EKS, GKE), whose etcd no customer reaches, cheaply: the server's
/// <c>gitVersion</c> (<c>v1.29.3-eks-adc7111</c>, <c>v1.29.4-gke.1043002</c>), else the labels of one node
/// (<c>kubernetes.azure.com/cluster</c>, <c>eks.amazonaws.com/nodegroup</c>, <c>cloud.google.com/gke-nodepool</c>).
/// A cluster it cannot read is simply not recognised.
/// </summary>
public static class ManagedControlPlanes
{
    /// <summary>The node labels each managed platform sets, with the platform's name.</summary>
    private static readonly (string Label, string Platform)[] NodeLabels =
    [
        ("kubernetes.azure.com/cluster", "AKS"),
        ("eks.amazonaws.com/nodegroup", "EKS"),
        ("cloud.google.com/gke-nodepool", "GKE"),
    ];

    /// <summary>The platform of a <c>gitVersion</c> that names it (<c>EKS</c>, <c>GKE</c>); null otherwise (AKS's does not).</summary>
    public static string? FromVersion(string gitVersion) =>
        gitVersion.Contains("-eks-", StringComparison.Ordinal) ? "EKS"
        : gitVersion.Contains("-gke.", StringComparison.Ordinal) ? "GKE"
        : null;

    /// <summary>The platform whose label a node carries; null when none.</summary>
    public static string? FromNodeLabels(IReadOnlyDictionary<string, string> labels) =>
        NodeLabels.FirstOrDefault(l => labels.ContainsKey(l.Label)).Platform;

    /// <summary>The managed platform <paramref name="cluster"/> runs on (one <c>/version</c> read, one node list page of 1); null when not recognised.</summary>
    public static async Task<string?> RecognizeAsync(IClusterReader cluster, CancellationToken cancellationToken = default)
    {
        try
        {
            if (FromVersion((await cluster.GetServerVersionAsync(cancellationToken)).GitVersion) is { } platform)
            {
                return platform;
            }

            await foreach (var node in cluster.ListAsync(ControlPlaneFiles.Nodes, new ListRequest(PageSize: 1), cancellationToken))
            {
                return FromNodeLabels(node.Labels);
            }

            return null;
        }
        catch (ClusterRequestException)
        {
            // Not allowed to list nodes, or the server is away: nothing recognised, and the backup's other layers say more.
            return null;
        }
    }
}
