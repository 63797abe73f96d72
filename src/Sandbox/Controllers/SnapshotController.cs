using System.Text.Json.Nodes;
using Strata.Sandbox.Http;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Controllers;

/// <summary>
/// external-snapshotter's common snapshot controller (v8), simulated. A VolumeSnapshot of a claim gets its class (the
/// default class of the claim's CSI driver when it names none, written to its spec), then its VolumeSnapshotContent
/// <c>snapcontent-{uid}</c> and <c>status.boundVolumeSnapshotContentName</c>; one of an existing content binds it (the
/// content's <c>volumeSnapshotRef.uid</c> is filled in). From then on the snapshot's status follows the content's, as
/// the <see cref="CsiSnapshotter"/> writes it. What stops it is written to <c>status.error</c> in the controller's words,
/// and retried when what it waits for changes (a class, a claim, a content) — the real one retries with a backoff.
/// Deleting a snapshot deletes its content when the content's policy is <c>Delete</c>.
/// <para>
/// No finalizers: the sandbox deletes an object at once whatever its finalizers (only namespaces wait), so the
/// <c>volumesnapshot-bound-protection</c> and <c>volumesnapshotcontent-bound-protection</c> finalizers would hold
/// nothing. A content deleted before its snapshot — which they prevent on a real cluster — leaves the snapshot with
/// <c>VolumeSnapshotContent is missing</c>.
/// </para>
/// </summary>
internal sealed partial class SnapshotController(ObjectRequests objects, ObjectStore store, ControllerQueue queue, TimeProvider time) : IObjectObserver
{
    private const string Manager = "snapshot-controller";
    private readonly ResourceType _claims = store.FindType("", "persistentvolumeclaims")!;
    private readonly ResourceType _volumes = store.FindType("", "persistentvolumes")!;

    public void Written(ObjectWrite write)
    {
        var obj = write.Object;
        switch (write.Type.Group, write.Type.Plural)
        {
            case (SnapshotApi.Group, "volumesnapshots") when write.Subresource is null:
                // Created, or its spec or metadata changed (its status is this controller's own).
                var (ns, name) = (SnapshotApi.Text(obj["metadata"]!["namespace"])!, SnapshotApi.Text(obj["metadata"]!["name"])!);
                queue.AddAfter(TimeSpan.Zero, () => Sync(ns, name));
                break;
            case (SnapshotApi.Group, "volumesnapshotcontents"):
                SyncReferenced(obj);
                break;
            case (SnapshotApi.Group, "volumesnapshotclasses"):
                queue.AddAfter(TimeSpan.Zero, () => SyncWaiting(null));
                break;
            case ("", "persistentvolumeclaims") when write.IsCreate || write.Subresource == "status":
                var claimNs = SnapshotApi.Text(obj["metadata"]!["namespace"]);
                queue.AddAfter(TimeSpan.Zero, () => SyncWaiting(claimNs));
                break;
        }
    }

    public void Deleted(ResourceType type, JsonObject obj)
    {
        if (type.Group != SnapshotApi.Group)
        {
            return;
        }

        if (type.Plural == "volumesnapshots")
        {
            queue.AddAfter(TimeSpan.Zero, () => DeleteContentOf(obj));
        }
        else if (type.Plural == "volumesnapshotcontents")
        {
            SyncReferenced(obj); // its snapshot, if any, is left without it
        }
    }

    private void SyncReferenced(JsonObject content)
    {
        if (content["spec"]?["volumeSnapshotRef"] is JsonObject reference
            && SnapshotApi.Text(reference["namespace"]) is { } ns && SnapshotApi.Text(reference["name"]) is { } name)
        {
            queue.AddAfter(TimeSpan.Zero, () => Sync(ns, name));
        }
    }

    /// <summary>Snapshots not yet bound (in <paramref name="ns"/>, or all): what they waited for may be there now.</summary>
    private void SyncWaiting(string? ns)
    {
        if (SnapshotApi.Snapshots(store) is not { } snapshots)
        {
            return;
        }

        foreach (var stored in store.Open(snapshots).Items.Where(s => ns is null || s.Namespace == ns))
        {
            var snapshot = stored.ToJson(ResourceType.GroupVersion(snapshots.Group, snapshots.Versions[0]), snapshots.Kind);
            if (snapshot["status"]?["boundVolumeSnapshotContentName"] is null)
            {
                Sync(stored.Namespace!, stored.Name);
            }
        }
    }

    /// <summary>syncSnapshotByKey: the class first (checkAndUpdateSnapshotClass), then the snapshot itself.</summary>
    private void Sync(string ns, string name)
    {
        if (SnapshotApi.Snapshots(store) is not { } snapshots || objects.Read(snapshots, ns, name) is not { } snapshot)
        {
            return;
        }

        var source = snapshot["spec"]?["source"];
        var (claimName, contentName) = (SnapshotApi.Text(source?["persistentVolumeClaimName"]), SnapshotApi.Text(source?["volumeSnapshotContentName"]));
        if (SnapshotApi.Text(snapshot["spec"]?["volumeSnapshotClassName"]) is { } className)
        {
            if (Class(className) is null)
            {
                Fail(snapshot, $"Failed to get snapshot class with error {SnapshotApi.ClassNotFound(className)}", notReady: false);
                return;
            }
        }
        else if (claimName is not null && contentName is null)
        {
            var (defaultClass, error) = DefaultClass(snapshot, claimName);
            if (defaultClass is null)
            {
                Fail(snapshot, $"Failed to set default snapshot class with error {error}", notReady: false);
                return;
            }

            // The controller patches the class it found into the snapshot's spec.
            if (objects.Change(snapshots, ns, name, null, s => Same(s, snapshot) ? SetClass(s, defaultClass) : null, Manager) is not { } patched)
            {
                return;
            }

            snapshot = patched;
        }

        if (snapshot["status"]?["readyToUse"]?.GetValue<bool>() == true && SnapshotApi.Text(snapshot["status"]?["boundVolumeSnapshotContentName"]) is { } bound)
        {
            CheckBinding(snapshot, bound);
        }
        else if ((claimName is null) == (contentName is null))
        {
            Fail(snapshot, "Exactly one of PersistentVolumeClaimName and VolumeSnapshotContentName should be specified", notReady: true);
        }
        else if (contentName is not null)
        {
            BindPreProvisioned(snapshot, contentName);
        }
        else
        {
            CreateOrBindContent(snapshot, claimName!);
        }
    }

    /// <summary>syncReadySnapshot: a ready snapshot's content must still be there and still name it.</summary>
    private void CheckBinding(JsonObject snapshot, string contentName)
    {
        var (ns, name, uid) = Identity(snapshot);
        if (Content(contentName) is not { } content)
        {
            Fail(snapshot, "VolumeSnapshotContent is missing", notReady: true);
        }
        else if (!SnapshotApi.Names(content, ns, name, uid, uidRequired: true))
        {
            Fail(snapshot, "VolumeSnapshotContent is not bound to the VolumeSnapshot correctly", notReady: true);
        }
    }

    /// <summary>The pre-provisioned case of syncUnreadySnapshot: the named content must exist, be pre-provisioned and be reserved for this snapshot.</summary>
    private void BindPreProvisioned(JsonObject snapshot, string contentName)
    {
        var (ns, name, uid) = Identity(snapshot);
        if (Content(contentName) is not { } content)
        {
            Fail(snapshot, "VolumeSnapshotContent is missing", notReady: true);
            return;
        }

        if (content["spec"]?["source"]?["snapshotHandle"] is null)
        {
            Fail(snapshot, "VolumeSnapshotContent is dynamically provisioned while expecting a pre-provisioned one", notReady: true);
            return;
        }

        if (!SnapshotApi.Names(content, ns, name, uid, uidRequired: false))
        {
            Fail(snapshot, $"VolumeSnapshotContent [{contentName}] is bound to a different snapshot", notReady: true);
            return;
        }

        // checkandBindSnapshotContent: the content learns the snapshot's uid (and its class, if it names one).
        var className = SnapshotApi.Text(snapshot["spec"]?["volumeSnapshotClassName"]);
        var bound = objects.Change(SnapshotApi.Contents(store)!, null, contentName, null, c =>
        {
            var spec = c["spec"]!.AsObject();
            if (SnapshotApi.Text(spec["volumeSnapshotRef"]?["uid"]) == uid && (className is null || SnapshotApi.Text(spec["volumeSnapshotClassName"]) == className))
            {
                return null;
            }

            spec["volumeSnapshotRef"]!["uid"] = uid;
            if (className is not null)
            {
                spec["volumeSnapshotClassName"] = className;
            }

            return c;
        }, Manager);
        UpdateStatus(snapshot, bound ?? content);
    }

    private JsonObject? Class(string name) => SnapshotApi.Classes(store) is { } classes ? objects.Read(classes, null, name) : null;

    private JsonObject? Content(string name) => SnapshotApi.Contents(store) is { } contents ? objects.Read(contents, null, name) : null;

    private static JsonObject SetClass(JsonObject snapshot, string className)
    {
        snapshot["spec"]!["volumeSnapshotClassName"] = className;
        return snapshot;
    }

    private static (string Namespace, string Name, string Uid) Identity(JsonObject obj) =>
        (SnapshotApi.Text(obj["metadata"]!["namespace"])!, SnapshotApi.Text(obj["metadata"]!["name"])!, SnapshotApi.Text(obj["metadata"]!["uid"])!);

    private static bool Same(JsonObject current, JsonObject seen) => SnapshotApi.Text(current["metadata"]?["uid"]) == SnapshotApi.Text(seen["metadata"]?["uid"]);
}
