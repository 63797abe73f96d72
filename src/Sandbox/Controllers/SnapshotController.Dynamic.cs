using System.Text.Json.Nodes;
using Strata.Sandbox.Http;

namespace Strata.Sandbox.Controllers;

/// <summary>Dynamic snapshots: the default class, the claim's volume, the content made for it, and its deletion.</summary>
internal sealed partial class SnapshotController
{
    private const string CreateFailed = "Failed to create snapshot content with error";

    /// <summary>The dynamic case of syncUnreadySnapshot: bind the content made for this snapshot, or make it.</summary>
    private void CreateOrBindContent(JsonObject snapshot, string claimName)
    {
        var (ns, name, uid) = Identity(snapshot);
        var contentName = SnapshotApi.ContentName(uid);
        if (Content(contentName) is { } existing)
        {
            if (existing["spec"]?["source"]?["volumeHandle"] is null)
            {
                Fail(snapshot, $"VolumeSnapshotContent {contentName} is pre-provisioned while expecting a dynamically provisioned one", notReady: true);
            }
            else if (!SnapshotApi.Names(existing, ns, name, uid, uidRequired: true))
            {
                Fail(snapshot, $"VolumeSnapshotContent [{contentName}] is bound to a different snapshot", notReady: true);
            }
            else
            {
                UpdateStatus(snapshot, existing);
            }

            return;
        }

        if (snapshot["status"]?["boundVolumeSnapshotContentName"] is not null)
        {
            // Its content was deleted (a real cluster's finalizer would have kept it): not taken a second time.
            Fail(snapshot, "VolumeSnapshotContent is missing", notReady: true);
            return;
        }

        if (objects.Read(_claims, ns, claimName) is null)
        {
            // ensurePVCFinalizer, which runs first, cannot find the claim.
            Fail(snapshot, $"{CreateFailed} snapshot controller failed to update {name} on API server: cannot get claim from snapshot", notReady: true);
            return;
        }

        var className = SnapshotApi.Text(snapshot["spec"]?["volumeSnapshotClassName"]);
        var snapshotClass = className is null ? null : Class(className);
        var (volume, error) = Volume(ns, claimName);
        error = className is null ? $"failed to take snapshot {name} without a snapshot class"
            : snapshotClass is null ? SnapshotApi.ClassNotFound(className)
            : error;
        if (error is not null)
        {
            Fail(snapshot, $"{CreateFailed} failed to get input parameters to create snapshot {name}: {SnapshotApi.GoQuote(error)}", notReady: true);
            return;
        }

        if (volume!["spec"]?["csi"] is not JsonObject csi)
        {
            Fail(snapshot, $"{CreateFailed} cannot find CSI PersistentVolumeSource for volume {SnapshotApi.Text(volume["metadata"]!["name"])}", notReady: true);
            return;
        }

        var contents = SnapshotApi.Contents(store)!;
        JsonObject content;
        try
        {
            content = objects.Create(new RequestTarget.Objects(contents, contents.Versions[0], null, null, null),
                NewContent(snapshot, snapshotClass!, csi, volume["spec"]?["volumeMode"]), Manager, dryRun: false);
        }
        catch (ApiError e) when (e.Reason == "AlreadyExists")
        {
            content = Content(contentName)!;
        }

        UpdateStatus(snapshot, content);
    }

    /// <summary>The content createSnapshotContent makes: the class's policy and driver, the volume's handle and mode, a reference to the snapshot.</summary>
    private static JsonObject NewContent(JsonObject snapshot, JsonObject snapshotClass, JsonObject csi, JsonNode? volumeMode)
    {
        var metadata = snapshot["metadata"]!;
        var spec = new JsonObject
        {
            ["deletionPolicy"] = snapshotClass["deletionPolicy"]?.DeepClone(),
            ["driver"] = snapshotClass["driver"]?.DeepClone(),
            ["source"] = new JsonObject { ["volumeHandle"] = csi["volumeHandle"]?.DeepClone() },
        };
        if (volumeMode is not null)
        {
            spec["sourceVolumeMode"] = volumeMode.DeepClone(); // --prevent-volume-mode-conversion, on by default
        }

        spec["volumeSnapshotClassName"] = snapshotClass["metadata"]!["name"]!.DeepClone();
        spec["volumeSnapshotRef"] = new JsonObject
        {
            ["kind"] = "VolumeSnapshot",
            ["namespace"] = metadata["namespace"]!.DeepClone(),
            ["name"] = metadata["name"]!.DeepClone(),
            ["uid"] = metadata["uid"]!.DeepClone(),
            ["apiVersion"] = snapshot["apiVersion"]!.DeepClone(),
            ["resourceVersion"] = metadata["resourceVersion"]!.DeepClone(),
        };
        return new JsonObject
        {
            ["apiVersion"] = snapshot["apiVersion"]!.DeepClone(),
            ["kind"] = "VolumeSnapshotContent",
            ["metadata"] = new JsonObject { ["name"] = SnapshotApi.ContentName(SnapshotApi.Text(metadata["uid"])!) },
            ["spec"] = spec,
        };
    }

    /// <summary>SetDefaultSnapshotClass: the one class marked default for the CSI driver of the claim's volume.</summary>
    private (string? Class, string? Error) DefaultClass(JsonObject snapshot, string claimName)
    {
        var (ns, name, _) = Identity(snapshot);
        var (volume, error) = Volume(ns, claimName);
        if (error is not null)
        {
            return (null, error);
        }

        if (SnapshotApi.Text(volume!["spec"]?["csi"]?["driver"]) is not { } driver)
        {
            return (null, $"snapshotting non-CSI volumes is not supported, snapshot:{ns}/{name}");
        }

        var defaults = SnapshotApi.Classes(store) is { } classes
            ? store.Open(classes).Items
                .Select(c => objects.Read(classes, null, c.Name))
                .Where(c => SnapshotApi.Text(c?["metadata"]?["annotations"]?[SnapshotApi.DefaultClassAnnotation]) == "true" && SnapshotApi.Text(c?["driver"]) == driver)
                .Select(c => SnapshotApi.Text(c!["metadata"]!["name"])!)
                .ToList()
            : [];
        return defaults switch
        {
            [] => (null, "cannot find default snapshot class"),
            [var only] => (only, null),
            _ => (null, $"{defaults.Count} default snapshot classes were found"),
        };
    }

    /// <summary>getVolumeFromVolumeSnapshot: the volume the claim is bound to, both ways; or why there is none.</summary>
    private (JsonObject? Volume, string? Error) Volume(string ns, string claimName)
    {
        if (objects.Read(_claims, ns, claimName) is not { } claim)
        {
            return (null, $"failed to retrieve PVC {claimName} from the lister: {SnapshotApi.GoQuote($"persistentvolumeclaim \"{claimName}\" not found")}");
        }

        if (SnapshotApi.Text(claim["status"]?["phase"]) != "Bound")
        {
            return (null, $"the PVC {claimName} is not yet bound to a PV, will not attempt to take a snapshot");
        }

        var volumeName = SnapshotApi.Text(claim["spec"]?["volumeName"]) ?? string.Empty;
        if (objects.Read(_volumes, null, volumeName) is not { } volume)
        {
            return (null, $"failed to retrieve PV {volumeName} from the API server: {SnapshotApi.GoQuote($"persistentvolumes \"{volumeName}\" not found")}");
        }

        var claimRef = volume["spec"]?["claimRef"];
        var refUid = SnapshotApi.Text(claimRef?["uid"]) ?? string.Empty;
        var bound = claimRef is not null && SnapshotApi.Text(claimRef["name"]) == claimName && SnapshotApi.Text(claimRef["namespace"]) == ns
            && (refUid.Length == 0 || refUid == SnapshotApi.Text(claim["metadata"]!["uid"]));
        return bound ? (volume, null) : (null, "claim in dataSource not bound or invalid");
    }

    /// <summary>A deleted snapshot takes its content with it when the content is bound to it and its policy is Delete.</summary>
    private void DeleteContentOf(JsonObject snapshot)
    {
        var (ns, name, uid) = Identity(snapshot);
        var contentName = SnapshotApi.Text(snapshot["status"]?["boundVolumeSnapshotContentName"])
            ?? SnapshotApi.Text(snapshot["spec"]?["source"]?["volumeSnapshotContentName"])
            ?? SnapshotApi.ContentName(uid);
        if (SnapshotApi.Contents(store) is { } contents && Content(contentName) is { } content
            && SnapshotApi.Names(content, ns, name, uid, uidRequired: true)
            && SnapshotApi.Text(content["spec"]?["deletionPolicy"]) == "Delete")
        {
            objects.DeleteObject(contents, null, contentName);
        }
    }
}
