using System.Text.Json.Nodes;
using Strata.Sandbox.Http;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Controllers;

/// <summary>
/// The csi-snapshotter sidecar of every CSI driver, simulated, over a <see cref="SnapshotBackend"/>. A dynamic content
/// (<c>source.volumeHandle</c>) is cut by the driver's <c>CreateSnapshot</c>, which answers after
/// <see cref="SimulatedSnapshots.SnapshotDelay"/> with a new handle (or the driver's error, for a snapshot that
/// <see cref="SimulatedSnapshots.Fails"/> or of a volume the driver does not have — or, for one with
/// <see cref="SimulatedSnapshots.TransientFailures"/>, the error first, then a retry that succeeds); a pre-provisioned content
/// (<c>source.snapshotHandle</c>) is looked up by <c>ListSnapshots</c>. Either way the content's status gets the handle,
/// creation time (UNIX nanoseconds), size in bytes and readiness (<see cref="SimulatedSnapshots.ReadyDelay"/> after the
/// cut), or <c>status.error</c> in the sidecar's words. A
/// deleted content whose policy is <c>Delete</c> deletes its snapshot from the storage system.
/// </summary>
internal sealed class CsiSnapshotter(ObjectRequests objects, ObjectStore store, ControllerQueue queue, SimulatedSnapshots settings, SnapshotBackend backend, TimeProvider time) : IObjectObserver
{
    private const string Manager = "csi-snapshotter";
    private readonly ResourceType _volumes = store.FindType("", "persistentvolumes")!;
    private readonly HashSet<string> _creating = [];
    private readonly Dictionary<string, int> _failedAttempts = [];
    private readonly Lock _gate = new();

    public void Written(ObjectWrite write)
    {
        if (write.Type.Group == SnapshotApi.Group && write.Type.Plural == "volumesnapshotcontents" && write.Subresource is null)
        {
            var metadata = write.Object["metadata"]!;
            var (name, uid) = (SnapshotApi.Text(metadata["name"])!, SnapshotApi.Text(metadata["uid"])!);
            queue.AddAfter(TimeSpan.Zero, () => Sync(name, uid));
        }
    }

    public void Deleted(ResourceType type, JsonObject obj)
    {
        if (type.Group == SnapshotApi.Group && type.Plural == "volumesnapshotcontents"
            && SnapshotApi.Text(obj["spec"]?["deletionPolicy"]) == "Delete"
            && SnapshotApi.Text(obj["status"]?["snapshotHandle"]) is { } handle && SnapshotApi.Text(obj["spec"]?["driver"]) is { } driver)
        {
            backend.Delete(driver, handle);
        }
    }

    private void Sync(string name, string uid)
    {
        if (Read(name, uid) is not { } content || content["status"]?["readyToUse"]?.GetValue<bool>() == true)
        {
            return;
        }

        if (SnapshotApi.Text(content["spec"]?["source"]?["snapshotHandle"]) is { } handle)
        {
            Import(content, handle);
            return;
        }

        if (content["status"] is not null)
        {
            return; // cut already, or failed
        }

        lock (_gate)
        {
            if (!_creating.Add(uid))
            {
                return;
            }
        }

        var requested = time.GetUtcNow();
        queue.AddAfter(settings.SnapshotDelay, () => CreateSnapshot(name, uid, requested));
    }

    /// <summary>createSnapshotWrapper: the class, then the driver's <c>CreateSnapshot</c> of the content's volume.</summary>
    private void CreateSnapshot(string name, string uid, DateTimeOffset requested)
    {
        try
        {
            if (Read(name, uid) is not { } content || content["status"]?["snapshotHandle"] is not null)
            {
                return;
            }

            var spec = content["spec"]!;
            var (driver, volumeHandle) = (SnapshotApi.Text(spec["driver"])!, SnapshotApi.Text(spec["source"]?["volumeHandle"])!);
            var snapshot = Snapshot(spec["volumeSnapshotRef"]);
            var className = SnapshotApi.Text(spec["volumeSnapshotClassName"]);
            var inputError = className is null ? $"failed to take snapshot {name} without a snapshot class"
                : SnapshotApi.Classes(store) is not { } classes || objects.Read(classes, null, className) is null ? SnapshotApi.ClassNotFound(className)
                : null;
            if (inputError is not null)
            {
                Fail(name, uid, $"Failed to create snapshot: failed to get input parameters to create snapshot for content {name}: {SnapshotApi.GoQuote(inputError)}");
                return;
            }

            var size = SourceVolumeSize(driver, volumeHandle);
            var transient = snapshot is not null && FailsThisTime(uid, snapshot);
            var driverError = size is null ? $"rpc error: code = NotFound desc = source volume {volumeHandle} not found"
                : transient || (snapshot is not null && settings.Fails?.Invoke(snapshot) == true) ? settings.FailureMessage
                : null;
            if (driverError is not null)
            {
                Fail(name, uid, $"Failed to create snapshot: failed to take snapshot of the volume {volumeHandle}: {SnapshotApi.GoQuote(driverError)}");
                if (transient)
                {
                    // The sidecar's retry: a new attempt, asked for now.
                    var retried = time.GetUtcNow();
                    queue.AddAfter(settings.SnapshotDelay, () => CreateSnapshot(name, uid, retried));
                }

                return;
            }

            var ready = snapshot is null || settings.NeverReady?.Invoke(snapshot) != true;
            var uploading = ready && settings.ReadyDelay > TimeSpan.Zero;
            var cut = backend.Create(driver, volumeHandle, size!.Value, requested, ready && !uploading);
            WriteStatus(name, uid, cut);
            if (uploading)
            {
                queue.AddAfter(settings.ReadyDelay, () => Uploaded(name, uid, cut));
            }
        }
        finally
        {
            lock (_gate)
            {
                _creating.Remove(uid);
            }
        }
    }

    /// <summary>The upload after the cut is done: the snapshot is ready (unless it was deleted meanwhile).</summary>
    private void Uploaded(string name, string uid, StorageSnapshot cut)
    {
        if (backend.Find(cut.Driver, cut.Handle) is not null)
        {
            WriteStatus(name, uid, backend.Add(cut with { ReadyToUse = true }));
        }
    }

    /// <summary>Whether this attempt at the content <paramref name="uid"/> is one of its snapshot's <see cref="SimulatedSnapshots.TransientFailures"/>.</summary>
    private bool FailsThisTime(string uid, SandboxObject snapshot)
    {
        var failures = settings.TransientFailures?.Invoke(snapshot) ?? 0;
        lock (_gate)
        {
            var failed = _failedAttempts.GetValueOrDefault(uid);
            if (failed >= failures)
            {
                return false;
            }

            _failedAttempts[uid] = failed + 1;
            return true;
        }
    }

    /// <summary>checkandUpdateContentStatus of a pre-provisioned content: the driver's <c>ListSnapshots</c> of its handle.</summary>
    private void Import(JsonObject content, string handle)
    {
        var (name, uid) = (SnapshotApi.Text(content["metadata"]!["name"])!, SnapshotApi.Text(content["metadata"]!["uid"])!);
        if (backend.Find(SnapshotApi.Text(content["spec"]?["driver"]) ?? string.Empty, handle) is { } found)
        {
            WriteStatus(name, uid, found);
            return;
        }

        var listed = $"can not find snapshot for snapshotID {handle}";
        Fail(name, uid, $"Failed to check and update snapshot content: failed to list snapshot for content {name}: {SnapshotApi.GoQuote(listed)}");
    }

    /// <summary>updateSnapshotContentStatus: the handle, when it was cut, whether it is ready, and its size (when known).</summary>
    private void WriteStatus(string name, string uid, StorageSnapshot snapshot) => Change(name, uid, content =>
    {
        var status = new JsonObject { ["creationTime"] = SnapshotApi.UnixNanoseconds(snapshot.CreatedAt), ["readyToUse"] = snapshot.ReadyToUse };
        if (snapshot.SizeBytes > 0)
        {
            status["restoreSize"] = snapshot.SizeBytes;
        }

        status["snapshotHandle"] = snapshot.Handle;
        content["status"] = status;
        return content;
    });

    /// <summary>updateContentErrorStatusWithEvent: <c>status.error</c> (unless the same message is there) and <c>readyToUse: false</c>.</summary>
    private void Fail(string name, string uid, string message) => Change(name, uid, content =>
    {
        var status = content["status"] as JsonObject ?? [];
        if (SnapshotApi.Text(status["error"]?["message"]) == message)
        {
            return null;
        }

        status["error"] = SnapshotApi.Error(message, time);
        status["readyToUse"] = false;
        content["status"] = status;
        return content;
    });

    private void Change(string name, string uid, Func<JsonObject, JsonObject?> change) =>
        objects.Change(SnapshotApi.Contents(store)!, null, name, "status", c => SnapshotApi.Text(c["metadata"]?["uid"]) == uid ? change(c) : null, Manager);

    private JsonObject? Read(string name, string uid) =>
        SnapshotApi.Contents(store) is { } contents && objects.Read(contents, null, name) is { } content
            && SnapshotApi.Text(content["metadata"]?["uid"]) == uid ? content : null;

    /// <summary>The VolumeSnapshot the content is bound to, as the rules see it; null when there is none.</summary>
    private SandboxObject? Snapshot(JsonNode? reference) =>
        SnapshotApi.Snapshots(store) is { } snapshots && SnapshotApi.Text(reference?["namespace"]) is { } ns && SnapshotApi.Text(reference?["name"]) is { } name
            && objects.Read(snapshots, ns, name) is { } snapshot && SnapshotApi.Text(snapshot["metadata"]?["uid"]) == SnapshotApi.Text(reference?["uid"])
            ? SandboxObject.From(snapshot)
            : null;

    /// <summary>The size in bytes of the driver's volume <paramref name="handle"/> (a volume the sandbox provisioned or was given); null when the driver has none.</summary>
    private long? SourceVolumeSize(string driver, string handle) =>
        store.Open(_volumes).Items
            .Select(v => v.ToJson("v1", "PersistentVolume"))
            .Where(v => SnapshotApi.Text(v["spec"]?["csi"]?["driver"]) == driver && SnapshotApi.Text(v["spec"]?["csi"]?["volumeHandle"]) == handle)
            .Select(v => Quantity.Bytes(SnapshotApi.Text(v["spec"]?["capacity"]?["storage"])) ?? 0)
            .Cast<long?>()
            .FirstOrDefault();
}
