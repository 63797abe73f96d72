using Strata.Core.Backup;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;

namespace Strata.Core.Volumes;

/// <summary>
/// What the volume layer reads from the cluster before it snapshots anything, in a handful of LISTs whatever the number
/// of claims: the claims in scope, every PersistentVolume, every VolumeSnapshotClass, and the Running pods that mount
/// the claims (whose hooks run around their snapshots).
/// </summary>
internal sealed class VolumeInventory(IClusterWriter client)
{
    /// <summary>The cluster it reads.</summary>
    public IClusterWriter Client => client;

    /// <summary>Whether the cluster serves <c>snapshot.storage.k8s.io/v1</c> VolumeSnapshots.</summary>
    public async Task<bool> SnapshotsServedAsync(CancellationToken cancellationToken)
    {
        var discovery = await client.DiscoverAsync(cancellationToken);
        return discovery.Resources.Any(r => r.Group == VolumeSnapshotApi.Group && r.Version == VolumeSnapshotApi.Version && r.Name == VolumeSnapshotApi.VolumeSnapshots.Name);
    }

    /// <summary>The claims the selector picks in the scope's namespaces.</summary>
    public async Task<List<KubeObject>> ClaimsAsync(BackupScope scope, LabelSelector selector, CancellationToken cancellationToken)
    {
        var claims = new List<KubeObject>();
        var text = selector.IsEmpty ? null : selector.ToString();
        foreach (var ns in Namespaces(scope))
        {
            await foreach (var claim in client.ListAsync(VolumeSnapshotApi.Claims, new ListRequest(ns, text), cancellationToken))
            {
                if (scope.IncludesNamespace(claim.Namespace ?? ""))
                {
                    claims.Add(claim);
                }
            }
        }

        return claims;
    }

    /// <summary>One claim by name; null when it does not exist.</summary>
    public Task<KubeObject?> ClaimAsync(string ns, string name, CancellationToken cancellationToken) =>
        client.GetAsync(VolumeSnapshotApi.Claims, ns, name, cancellationToken);

    /// <summary>Every PersistentVolume, by name.</summary>
    public async Task<Dictionary<string, KubeObject>> VolumesAsync(CancellationToken cancellationToken)
    {
        var volumes = new Dictionary<string, KubeObject>(StringComparer.Ordinal);
        await foreach (var volume in client.ListAsync(VolumeSnapshotApi.Volumes, new ListRequest(), cancellationToken))
        {
            volumes[volume.Name] = volume;
        }

        return volumes;
    }

    /// <summary>Every VolumeSnapshotClass.</summary>
    public async Task<List<KubeObject>> SnapshotClassesAsync(CancellationToken cancellationToken)
    {
        var classes = new List<KubeObject>();
        await foreach (var snapshotClass in client.ListAsync(VolumeSnapshotApi.VolumeSnapshotClasses, new ListRequest(), cancellationToken))
        {
            classes.Add(snapshotClass);
        }

        return classes;
    }

    /// <summary>The Running pods in <paramref name="namespaces"/> that mount one of <paramref name="claims"/> (<c>ns/name</c>); only those are kept.</summary>
    public async Task<List<KubeObject>> PodsMountingAsync(BackupScope scope, IReadOnlySet<string> namespaces, IReadOnlySet<string> claims, CancellationToken cancellationToken)
    {
        var pods = new List<KubeObject>();
        IEnumerable<string?> lists = scope.AllNamespaces && namespaces.Count > 1 ? [null] : namespaces;
        foreach (var ns in lists)
        {
            await foreach (var pod in client.ListAsync(VolumeSnapshotApi.Pods, new ListRequest(ns), cancellationToken))
            {
                if (namespaces.Contains(pod.Namespace ?? "") && PodVolumes.IsRunning(pod) && PodVolumes.Claims(pod).Any(c => claims.Contains($"{pod.Namespace}/{c}")))
                {
                    pods.Add(pod);
                }
            }
        }

        return pods;
    }

    /// <summary>A pod by name; null when it does not exist.</summary>
    public Task<KubeObject?> PodAsync(string ns, string name, CancellationToken cancellationToken) =>
        client.GetAsync(VolumeSnapshotApi.Pods, ns, name, cancellationToken);

    /// <summary>One cluster-wide list when every namespace is in scope, else one per included namespace.</summary>
    private static IEnumerable<string?> Namespaces(BackupScope scope) =>
        scope.AllNamespaces ? [null] : scope.IncludeNamespaces.Distinct(StringComparer.Ordinal).Where(scope.IncludesNamespace).Select(ns => (string?)ns);
}
