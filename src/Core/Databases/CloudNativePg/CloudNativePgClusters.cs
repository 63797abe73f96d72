using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Results;

namespace Strata.Core.Databases.CloudNativePg;

/// <summary>Finds CloudNativePG and its Clusters on a cluster; each failure one <see cref="CloudNativePgException"/> naming what is missing.</summary>
public static class CloudNativePgClusters
{
    /// <summary>
    /// Why <paramref name="client"/> cannot have CloudNativePG Backups (its CRDs are not served, or their discovery
    /// failed), or null when it can. <paramref name="clusterName"/> is the cluster's name in strata.yaml, for the message.
    /// </summary>
    public static async Task<string?> MissingAsync(IClusterReader client, string clusterName, CancellationToken cancellationToken = default)
    {
        var discovery = await client.DiscoverAsync(cancellationToken);
        if (discovery.Find(CloudNativePgApi.Group, CloudNativePgApi.Clusters.Name) is not null && discovery.Find(CloudNativePgApi.Group, CloudNativePgApi.Backups.Name) is not null)
        {
            return null;
        }

        return discovery.Failures.FirstOrDefault(f => f.GroupVersion.StartsWith(CloudNativePgApi.Group + "/", StringComparison.Ordinal)) is { } failure
            ? $"CloudNativePG's API ({failure.GroupVersion}) on cluster {clusterName} could not be discovered: {failure.Message}"
            : $"CloudNativePG is not installed on cluster {clusterName} (clusters.{CloudNativePgApi.Group} and backups.{CloudNativePgApi.Group} are not served)";
    }

    /// <summary>The Cluster of <paramref name="target"/>.</summary>
    public static async Task<KubeObject> GetAsync(IClusterWriter client, string clusterName, CloudNativePgTarget target, CancellationToken cancellationToken = default) =>
        await GetAsync(client, CloudNativePgApi.Clusters, target.Namespace, target.Cluster, clusterName, cancellationToken)
            ?? throw new CloudNativePgException($"CloudNativePG Cluster {target.Qualified} not found on cluster {clusterName}", ProblemReasons.NotFound);

    /// <summary>An object of CloudNativePG's, or null when it does not exist; a failed request is a <see cref="CloudNativePgException"/>.</summary>
    public static async Task<KubeObject?> GetAsync(IClusterWriter client, ApiResource resource, string ns, string name, string clusterName, CancellationToken cancellationToken = default)
    {
        try
        {
            return await client.GetAsync(resource, ns, name, cancellationToken);
        }
        catch (ClusterRequestException e)
        {
            throw new CloudNativePgException($"reading CloudNativePG {resource.Kind} {ns}/{name} on cluster {clusterName} failed: {e.Message}", e.Reason ?? ProblemReasons.DatabaseUnreachable, e);
        }
    }
}
