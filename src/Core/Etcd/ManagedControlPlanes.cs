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

    /// <summary>The labels kubeadm, k3s and RKE2 put on control-plane nodes (<c>master</c> before Kubernetes 1.24); managed platforms show no such node.</summary>
    public static IReadOnlyList<string> ControlPlaneLabels { get; } = [ControlPlaneFilesSettings.ControlPlaneLabel, "node-role.kubernetes.io/master"];

    /// <summary>
    /// Up to <paramref name="limit"/> names of nodes that carry a <see cref="ControlPlaneLabels">control-plane label</see>
    /// — a self-managed control plane — read cheaply (one small page per label, the second only when the first finds
    /// none); empty when there are none or the nodes cannot be listed.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ControlPlaneNodesAsync(IClusterReader cluster, int limit, CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        try
        {
            foreach (var label in ControlPlaneLabels)
            {
                await foreach (var node in cluster.ListAsync(ControlPlaneFiles.Nodes, new ListRequest(LabelSelector: label, PageSize: limit), cancellationToken))
                {
                    if (node.Labels.ContainsKey(label) && !names.Contains(node.Name, StringComparer.Ordinal))
                    {
                        names.Add(node.Name);
                    }

                    if (names.Count >= limit)
                    {
                        return names;
                    }
                }

                if (names.Count > 0)
                {
                    return names;
                }
            }
        }
        catch (ClusterRequestException)
        {
            // Not allowed to list nodes: nothing to say about them.
        }

        return names;
    }
}
