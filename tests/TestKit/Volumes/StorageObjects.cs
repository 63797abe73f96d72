using System.Text.Json.Nodes;

namespace Strata.TestKit.Volumes;

/// <summary>
/// Storage objects as a cluster's manifests hold them, for the volume layer's tests: classes, CSI drivers, claims, the
/// pods and StatefulSets that mount them, and the CSI snapshot API's objects (<c>snapshot.storage.k8s.io/v1</c>).
/// </summary>
public static class StorageObjects
{
    public const string SnapshotApiVersion = "snapshot.storage.k8s.io/v1";

    /// <summary>A StorageClass of <paramref name="provisioner"/> (<c>isDefault</c>: the cluster's default class).</summary>
    public static JsonObject StorageClass(string name, string provisioner, string reclaimPolicy = "Delete", string volumeBindingMode = "Immediate", bool isDefault = false)
    {
        var storageClass = Object("storage.k8s.io/v1", "StorageClass", null, name);
        if (isDefault)
        {
            storageClass["metadata"]!["annotations"] = new JsonObject { ["storageclass.kubernetes.io/is-default-class"] = "true" };
        }

        storageClass["provisioner"] = provisioner;
        storageClass["reclaimPolicy"] = reclaimPolicy;
        storageClass["volumeBindingMode"] = volumeBindingMode;
        return storageClass;
    }

    /// <summary>A VolumeSnapshotClass of <paramref name="driver"/>; <c>isDefault</c>: the default for that driver's volumes.</summary>
    public static JsonObject VolumeSnapshotClass(string name, string driver, string deletionPolicy = "Delete", bool isDefault = false)
    {
        var snapshotClass = Object(SnapshotApiVersion, "VolumeSnapshotClass", null, name);
        if (isDefault)
        {
            snapshotClass["metadata"]!["annotations"] = new JsonObject { ["snapshot.storage.kubernetes.io/is-default-class"] = "true" };
        }

        snapshotClass["driver"] = driver;
        snapshotClass["deletionPolicy"] = deletionPolicy;
        return snapshotClass;
    }

    /// <summary>A CSIDriver as a driver's Helm chart registers it.</summary>
    public static JsonObject CsiDriver(string name)
    {
        var driver = Object("storage.k8s.io/v1", "CSIDriver", null, name);
        driver["spec"] = new JsonObject
        {
            ["attachRequired"] = true,
            ["podInfoOnMount"] = false,
            ["volumeLifecycleModes"] = new JsonArray("Persistent"),
        };
        return driver;
    }

    /// <summary>A ReadWriteOnce claim of <paramref name="size"/>; <paramref name="dataSource"/>: what it is made from (<see cref="SnapshotSource"/>).</summary>
    public static JsonObject Claim(string ns, string name, string? storageClassName, string size = "1Gi", IReadOnlyDictionary<string, string>? labels = null, JsonObject? dataSource = null)
    {
        var claim = Object("v1", "PersistentVolumeClaim", ns, name, labels);
        var spec = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = size } },
        };
        if (storageClassName is not null)
        {
            spec["storageClassName"] = storageClassName;
        }

        if (dataSource is not null)
        {
            spec["dataSource"] = dataSource;
        }

        claim["spec"] = spec;
        return claim;
    }

    /// <summary>A claim's <c>dataSource</c> naming the VolumeSnapshot it is restored from (in the claim's namespace).</summary>
    public static JsonObject SnapshotSource(string snapshotName) =>
        new() { ["apiGroup"] = "snapshot.storage.k8s.io", ["kind"] = "VolumeSnapshot", ["name"] = snapshotName };

    /// <summary>A VolumeSnapshot of the claim <paramref name="claimName"/>; no class: the default class of the claim's driver.</summary>
    public static JsonObject VolumeSnapshot(string ns, string name, string claimName, string? className = null)
    {
        var snapshot = Object(SnapshotApiVersion, "VolumeSnapshot", ns, name);
        var spec = new JsonObject { ["source"] = new JsonObject { ["persistentVolumeClaimName"] = claimName } };
        if (className is not null)
        {
            spec["volumeSnapshotClassName"] = className;
        }

        snapshot["spec"] = spec;
        return snapshot;
    }

    /// <summary>A VolumeSnapshot of an existing snapshot, bound to the VolumeSnapshotContent <paramref name="contentName"/>.</summary>
    public static JsonObject PreProvisionedSnapshot(string ns, string name, string contentName)
    {
        var snapshot = Object(SnapshotApiVersion, "VolumeSnapshot", ns, name);
        snapshot["spec"] = new JsonObject { ["source"] = new JsonObject { ["volumeSnapshotContentName"] = contentName } };
        return snapshot;
    }

    /// <summary>
    /// A VolumeSnapshotContent for a snapshot that already exists on the storage system (<paramref name="snapshotHandle"/>),
    /// reserved for the VolumeSnapshot <paramref name="snapshotNamespace"/>/<paramref name="snapshotName"/>.
    /// </summary>
    public static JsonObject PreProvisionedContent(string name, string driver, string snapshotHandle, string snapshotNamespace, string snapshotName, string deletionPolicy = "Retain")
    {
        var content = Object(SnapshotApiVersion, "VolumeSnapshotContent", null, name);
        content["spec"] = new JsonObject
        {
            ["deletionPolicy"] = deletionPolicy,
            ["driver"] = driver,
            ["source"] = new JsonObject { ["snapshotHandle"] = snapshotHandle },
            ["volumeSnapshotRef"] = new JsonObject { ["name"] = snapshotName, ["namespace"] = snapshotNamespace },
        };
        return content;
    }

    /// <summary>
    /// A pod whose containers (by name; one named <c>app</c> when none are given) mount every claim of
    /// <paramref name="claimNames"/> at <c>/mnt/{claim}</c>, each as the volume of the claim's name.
    /// </summary>
    public static JsonObject Pod(string ns, string name, IReadOnlyList<string> claimNames, IReadOnlyDictionary<string, string>? labels = null,
        IReadOnlyDictionary<string, string>? annotations = null, IReadOnlyList<string>? containers = null)
    {
        var pod = Object("v1", "Pod", ns, name, labels, annotations);
        pod["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray([.. (containers ?? ["app"]).Select(c => (JsonNode)Container(c, claimNames))]),
            ["volumes"] = new JsonArray([.. claimNames.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c,
                ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = c },
            })]),
        };
        return pod;
    }

    /// <summary>
    /// A StatefulSet of <paramref name="replicas"/> whose pods each get a claim per template (<c>data</c> when none are
    /// given) of <paramref name="storageClassName"/>, mounted at <c>/mnt/{template}</c>.
    /// </summary>
    public static JsonObject StatefulSet(string ns, string name, string storageClassName, string size = "1Gi", int replicas = 1, IReadOnlyList<string>? claimTemplates = null)
    {
        var templates = claimTemplates ?? ["data"];
        var labels = new Dictionary<string, string> { ["app"] = name };
        var statefulSet = Object("apps/v1", "StatefulSet", ns, name, labels);
        statefulSet["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["serviceName"] = name,
            ["selector"] = new JsonObject { ["matchLabels"] = Map(labels) },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = Map(labels) },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(Container("app", templates)) },
            },
            ["volumeClaimTemplates"] = new JsonArray([.. templates.Select(t =>
            {
                var claim = Claim(ns, t, storageClassName, size);
                return (JsonNode)new JsonObject { ["metadata"] = new JsonObject { ["name"] = t }, ["spec"] = claim["spec"]!.DeepClone() };
            })]),
        };
        return statefulSet;
    }

    private static JsonObject Container(string name, IReadOnlyList<string> claims) => new()
    {
        ["name"] = name,
        ["image"] = "registry.example.com/app:1.0",
        ["volumeMounts"] = new JsonArray([.. claims.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["mountPath"] = $"/mnt/{c}" })]),
    };

    private static JsonObject Object(string apiVersion, string kind, string? ns, string name,
        IReadOnlyDictionary<string, string>? labels = null, IReadOnlyDictionary<string, string>? annotations = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        if (labels is not null)
        {
            metadata["labels"] = Map(labels);
        }

        if (annotations is not null)
        {
            metadata["annotations"] = Map(annotations);
        }

        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
    }

    private static JsonObject Map(IReadOnlyDictionary<string, string> values) =>
        new([.. values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))]);
}
