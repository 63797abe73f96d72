using System.Text.Json.Nodes;
using Strata.Core.Databases;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;
using Strata.Core.Volumes;

namespace Strata.Core.Coverage;

/// <summary>
/// What the coverage survey reads from one cluster, in one LIST per resource type whatever its size: claims, volumes,
/// storage and snapshot classes, StatefulSets, Deployments, the operators' database resources the cluster serves, and of
/// the pods only those that matter — database images, pods mounting claims, etcd's static pods.
/// </summary>
internal sealed class ClusterInventory
{
    /// <summary>StatefulSets.</summary>
    public static readonly ApiResource StatefulSets = new("apps", "v1", "statefulsets", "StatefulSet", true, ["list"]);

    /// <summary>Deployments.</summary>
    public static readonly ApiResource Deployments = new("apps", "v1", "deployments", "Deployment", true, ["list"]);

    public List<KubeObject> Claims { get; } = [];

    public Dictionary<string, KubeObject> Volumes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, KubeObject> StorageClasses { get; } = new(StringComparer.Ordinal);

    public List<KubeObject> SnapshotClasses { get; } = [];

    /// <summary>Whether the cluster serves <c>snapshot.storage.k8s.io/v1</c> VolumeSnapshots.</summary>
    public bool SnapshotsServed { get; private set; }

    public List<KubeObject> StatefulSetList { get; } = [];

    public List<KubeObject> DeploymentList { get; } = [];

    /// <summary>Pods that run a database image or mount a claim (Succeeded and Failed ones left out).</summary>
    public List<KubeObject> Pods { get; } = [];

    /// <summary>
    /// Every pod, trimmed to what choosing one takes (name, labels, phase, Ready): where a databases target's <c>pod:</c>
    /// or <c>podSelector:</c> lands, picked as a backup picks it (<see cref="PodLocator.Choose"/>), and which operator's
    /// instance that pod is.
    /// </summary>
    public List<KubeObject> Selectable { get; } = [];

    /// <summary>etcd's static pods (<c>component=etcd</c> in <c>kube-system</c>).</summary>
    public List<KubeObject> EtcdPods { get; } = [];

    /// <summary>The operators' database resources, with their operator.</summary>
    public List<(DatabaseOperator Operator, KubeObject Database)> OperatorDatabases { get; } = [];

    public static async Task<ClusterInventory> ReadAsync(IClusterReader client, CancellationToken cancellationToken)
    {
        var inventory = new ClusterInventory();
        var discovery = await client.DiscoverAsync(cancellationToken);
        inventory.SnapshotsServed = discovery.Resources.Any(r => r.Group == VolumeSnapshotApi.Group && r.Version == VolumeSnapshotApi.Version && r.Name == VolumeSnapshotApi.VolumeSnapshots.Name);
        await foreach (var claim in client.ListAsync(VolumeSnapshotApi.Claims, new ListRequest(), cancellationToken))
        {
            inventory.Claims.Add(claim);
        }

        await ByNameAsync(client, VolumeSnapshotApi.Volumes, inventory.Volumes, cancellationToken);
        await ByNameAsync(client, VolumeSnapshotApi.StorageClasses, inventory.StorageClasses, cancellationToken);
        if (discovery.Resources.Any(r => r.Group == VolumeSnapshotApi.Group && r.Version == VolumeSnapshotApi.Version && r.Name == VolumeSnapshotApi.VolumeSnapshotClasses.Name))
        {
            await foreach (var snapshotClass in client.ListAsync(VolumeSnapshotApi.VolumeSnapshotClasses, new ListRequest(), cancellationToken))
            {
                inventory.SnapshotClasses.Add(snapshotClass);
            }
        }

        await foreach (var set in client.ListAsync(StatefulSets, new ListRequest(), cancellationToken))
        {
            inventory.StatefulSetList.Add(set);
        }

        await foreach (var deployment in client.ListAsync(Deployments, new ListRequest(), cancellationToken))
        {
            inventory.DeploymentList.Add(deployment);
        }

        await foreach (var pod in client.ListAsync(VolumeSnapshotApi.Pods, new ListRequest(), cancellationToken))
        {
            inventory.Selectable.Add(Trimmed(pod));
            if (pod.Namespace == "kube-system" && pod.Label("component") == "etcd")
            {
                inventory.EtcdPods.Add(pod);
            }
            else if (pod.GetString("status.phase") is not ("Succeeded" or "Failed")
                && (WorkloadShape.Images(pod.Json).Any(i => DatabaseImages.Recognize(i) is not null) || PodVolumes.Claims(pod).Any()))
            {
                inventory.Pods.Add(pod);
            }
        }

        foreach (var row in DatabaseOperators.Table)
        {
            // Only an operator whose CRD the cluster serves: listing an unserved resource is a 404, not an empty list.
            if (discovery.Find(row.Group, row.Resource) is { } resource)
            {
                await foreach (var database in client.ListAsync(resource, new ListRequest(), cancellationToken))
                {
                    inventory.OperatorDatabases.Add((row, database));
                }
            }
        }

        return inventory;
    }

    /// <summary>A pod's name, namespace, labels, phase and conditions: a large cluster's pods, kept whole, would not fit.</summary>
    private static KubeObject Trimmed(KubeObject pod) => new(new JsonObject
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = pod.Name,
            ["namespace"] = pod.Namespace,
            ["labels"] = pod.Metadata["labels"]?.DeepClone(),
        },
        ["status"] = new JsonObject
        {
            ["phase"] = pod.GetString("status.phase"),
            ["conditions"] = pod.Json["status"]?["conditions"]?.DeepClone(),
        },
    });

    private static async Task ByNameAsync(IClusterReader client, ApiResource resource, Dictionary<string, KubeObject> into, CancellationToken cancellationToken)
    {
        await foreach (var item in client.ListAsync(resource, new ListRequest(), cancellationToken))
        {
            into[item.Name] = item;
        }
    }
}
