using System.Text.Json.Nodes;
using Strata.Sandbox.Http;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Controllers;

/// <summary>
/// The persistent-volume controller and a CSI external-provisioner, simulated. After
/// <see cref="SimulatedControllers.VolumeBindDelay"/> a Pending claim is bound: to the volume it
/// names (<c>spec.volumeName</c>), or to a volume provisioned for it (<c>pvc-{uid}</c>) when its
/// StorageClass exists and has a provisioner. A <see cref="SimulatedControllers.NeverBinds"/> claim,
/// one whose class is missing, and one with no class stay Pending. A bound claim's deletion
/// reclaims its volume (deleted, or Released when the policy is Retain).
/// Claims of a WaitForFirstConsumer class stay Pending: the sandbox schedules no pods, so none ever uses them.
/// A claim made from a VolumeSnapshot is provisioned only from a ready one the class's driver can restore (see
/// <see cref="RestoreSource"/>); until then it is Pending, and it is looked at again when the snapshot becomes ready.
/// </summary>
internal sealed partial class VolumeBinder(ObjectRequests objects, ObjectStore store, ControllerQueue queue, SimulatedControllers settings, SnapshotBackend? snapshotBackend, TimeProvider time) : IObjectObserver
{
    private const string Binder = "kube-controller-manager";
    private const string ProvisionedBy = "pv.kubernetes.io/provisioned-by";
    private readonly ResourceType _claims = store.FindType("", "persistentvolumeclaims")!;
    private readonly ResourceType _volumes = store.FindType("", "persistentvolumes")!;
    private readonly ResourceType _classes = store.FindType("storage.k8s.io", "storageclasses")!;

    public void Written(ObjectWrite write)
    {
        if (write.Type.Group == SnapshotApi.Group)
        {
            RestoreWhenReady(write);
            return;
        }

        if (!write.IsCreate || write.Subresource is not null)
        {
            return;
        }

        var metadata = write.Object["metadata"]!;
        if (write.Type.Key == _claims.Key)
        {
            var (ns, name, uid) = (metadata["namespace"]!.GetValue<string>(), metadata["name"]!.GetValue<string>(), metadata["uid"]!.GetValue<string>());
            queue.AddAfter(settings.VolumeBindDelay, () => Bind(ns, name, uid));
        }
        else if (write.Type.Key == _volumes.Key && metadata["annotations"]?[ProvisionedBy] is null
            && write.Object["spec"]?["claimRef"] is JsonObject claim && claim["namespace"] is { } claimNs && claim["name"] is { } claimName)
        {
            // A volume made for a claim that may be waiting for it (static binding).
            var (ns, name) = (claimNs.GetValue<string>(), claimName.GetValue<string>());
            queue.AddAfter(settings.VolumeBindDelay, () => Bind(ns, name, null));
        }
    }

    public void Deleted(ResourceType type, JsonObject obj)
    {
        if (type.Key != _claims.Key || obj["spec"]?["volumeName"]?.GetValue<string>() is not { Length: > 0 } volume
            || obj["status"]?["phase"]?.GetValue<string>() != "Bound")
        {
            return;
        }

        queue.AddAfter(TimeSpan.Zero, () => Reclaim(volume, obj["metadata"]!["uid"]!.GetValue<string>()));
    }

    private void Bind(string ns, string name, string? uid)
    {
        if (objects.Read(_claims, ns, name) is not { } claim
            || (uid is not null && claim["metadata"]!["uid"]!.GetValue<string>() != uid)
            || claim["status"]?["phase"]?.GetValue<string>() == "Bound"
            || settings.NeverBinds?.Invoke(SandboxObject.From(claim)) == true)
        {
            return;
        }

        if (claim["spec"]?["volumeName"]?.GetValue<string>() is { Length: > 0 } named)
        {
            if (objects.Read(_volumes, null, named) is { } volume && ClaimedBy(volume, claim))
            {
                Complete(claim, volume, provisioner: null, boundByController: false);
            }

            return; // a volume not there (yet): Pending until it is created
        }

        if (claim["spec"]?["storageClassName"]?.GetValue<string>() is not { Length: > 0 } className
            || objects.Read(_classes, null, className) is not { } storageClass
            || storageClass["provisioner"]?.GetValue<string>() is not { Length: > 0 } provisioner
            || provisioner == "kubernetes.io/no-provisioner"
            || storageClass["volumeBindingMode"]?.GetValue<string>() == "WaitForFirstConsumer")
        {
            // WaitForFirstConsumer: provisioning waits for a pod to be scheduled with the claim, and the sandbox
            // schedules no pods — so the claim stays Pending, as one no pod uses does on a real cluster.
            return;
        }

        string? snapshotHandle = null;
        if (SnapshotDataSource(claim) is { } snapshotSource && (snapshotHandle = RestoreSource(claim, snapshotSource, provisioner)) is null)
        {
            return; // the external-provisioner retries; so does this binder, when the snapshot becomes ready
        }

        var newVolume = Provision(claim, storageClass, provisioner);
        if (snapshotHandle is not null)
        {
            newVolume["metadata"]!["annotations"]![RestoredFrom] = snapshotHandle;
        }

        var provisioned = objects.Create(new RequestTarget.Objects(_volumes, "v1", null, null, null), newVolume, "csi-provisioner", dryRun: false);
        Complete(claim, provisioned, provisioner, boundByController: true);
    }

    private static bool ClaimedBy(JsonObject volume, JsonObject claim)
    {
        if (volume["spec"]?["claimRef"] is not JsonObject reference)
        {
            return true;
        }

        var metadata = claim["metadata"]!;
        var uid = reference["uid"]?.GetValue<string>();
        return reference["namespace"]?.GetValue<string>() == metadata["namespace"]!.GetValue<string>()
            && reference["name"]?.GetValue<string>() == metadata["name"]!.GetValue<string>()
            && (string.IsNullOrEmpty(uid) || uid == metadata["uid"]!.GetValue<string>());
    }

    /// <summary>The volume an external-provisioner creates for a claim.</summary>
    private static JsonObject Provision(JsonObject claim, JsonObject storageClass, string provisioner)
    {
        var uid = claim["metadata"]!["uid"]!.GetValue<string>();
        var spec = new JsonObject
        {
            ["accessModes"] = claim["spec"]?["accessModes"]?.DeepClone() ?? new JsonArray("ReadWriteOnce"),
            ["capacity"] = new JsonObject { ["storage"] = claim["spec"]?["resources"]?["requests"]?["storage"]?.DeepClone() ?? "1Gi" },
            ["claimRef"] = Reference(claim),
            ["csi"] = new JsonObject { ["driver"] = provisioner, ["volumeHandle"] = $"sandbox-{uid}", ["fsType"] = "ext4" },
            ["persistentVolumeReclaimPolicy"] = storageClass["reclaimPolicy"]?.DeepClone() ?? "Delete",
            ["storageClassName"] = storageClass["metadata"]!["name"]!.DeepClone(),
            ["volumeMode"] = claim["spec"]?["volumeMode"]?.DeepClone() ?? "Filesystem",
        };
        if (storageClass["mountOptions"] is JsonArray mountOptions)
        {
            spec["mountOptions"] = mountOptions.DeepClone();
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "PersistentVolume",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"pvc-{uid}",
                ["annotations"] = new JsonObject
                {
                    [ProvisionedBy] = provisioner,
                    ["volume.kubernetes.io/provisioner-deletion-secret-name"] = string.Empty,
                    ["volume.kubernetes.io/provisioner-deletion-secret-namespace"] = string.Empty,
                },
                ["finalizers"] = new JsonArray("kubernetes.io/pv-protection"),
            },
            ["spec"] = spec,
        };
    }

    private static JsonObject Reference(JsonObject claim) => new()
    {
        ["kind"] = "PersistentVolumeClaim",
        ["namespace"] = claim["metadata"]!["namespace"]!.DeepClone(),
        ["name"] = claim["metadata"]!["name"]!.DeepClone(),
        ["uid"] = claim["metadata"]!["uid"]!.DeepClone(),
        ["apiVersion"] = "v1",
        ["resourceVersion"] = claim["metadata"]!["resourceVersion"]!.DeepClone(),
    };

    /// <summary>Both halves of a binding, as the persistent-volume controller writes them: the volume's claimRef and phase, then the claim's.</summary>
    private void Complete(JsonObject claim, JsonObject volume, string? provisioner, bool boundByController)
    {
        var volumeName = volume["metadata"]!["name"]!.GetValue<string>();
        objects.Change(_volumes, null, volumeName, null, v =>
        {
            v["spec"]!["claimRef"] = Reference(claim);
            return v;
        }, Binder);
        objects.Change(_volumes, null, volumeName, "status", v =>
        {
            v["status"] = new JsonObject { ["phase"] = "Bound", ["lastPhaseTransitionTime"] = Timestamps.Now(time) };
            return v;
        }, Binder);

        var (ns, name) = (claim["metadata"]!["namespace"]!.GetValue<string>(), claim["metadata"]!["name"]!.GetValue<string>());
        objects.Change(_claims, ns, name, null, c =>
        {
            c["spec"]!["volumeName"] = volumeName;
            var metadata = c["metadata"]!.AsObject();
            var annotations = metadata["annotations"] as JsonObject ?? (JsonObject)(metadata["annotations"] = new JsonObject());
            annotations["pv.kubernetes.io/bind-completed"] = "yes";
            if (boundByController)
            {
                annotations["pv.kubernetes.io/bound-by-controller"] = "yes";
            }

            if (provisioner is not null)
            {
                annotations["volume.beta.kubernetes.io/storage-provisioner"] = provisioner;
                annotations["volume.kubernetes.io/storage-provisioner"] = provisioner;
            }

            return c;
        }, Binder);
        objects.Change(_claims, ns, name, "status", c =>
        {
            var status = new JsonObject { ["phase"] = "Bound" };
            var bound = objects.Read(_volumes, null, volumeName)?["spec"];
            foreach (var field in (string[])["accessModes", "capacity"])
            {
                if (bound?[field] is { } value)
                {
                    status[field] = value.DeepClone();
                }
            }

            c["status"] = status;
            return c;
        }, Binder);
    }

    private void Reclaim(string volumeName, string claimUid)
    {
        if (objects.Read(_volumes, null, volumeName) is not { } volume || volume["spec"]?["claimRef"]?["uid"]?.GetValue<string>() != claimUid)
        {
            return;
        }

        if (volume["spec"]?["persistentVolumeReclaimPolicy"]?.GetValue<string>() is "Delete")
        {
            objects.DeleteObject(_volumes, null, volumeName);
            return;
        }

        objects.Change(_volumes, null, volumeName, "status", v =>
        {
            v["status"] = new JsonObject { ["phase"] = "Released", ["lastPhaseTransitionTime"] = Timestamps.Now(time) };
            return v;
        }, Binder);
    }
}
