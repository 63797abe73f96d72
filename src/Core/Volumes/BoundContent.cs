using System.Text.Json.Nodes;
using Strata.Core.Backup;
using Strata.Core.Ports;

namespace Strata.Core.Volumes;

/// <summary>
/// The VolumeSnapshotContent a ready snapshot is bound to: read, checked to point back at the snapshot (as the
/// external-snapshotter asks consumers to), and made to outlive it. A content keeps its class's <c>deletionPolicy</c>,
/// usually <c>Delete</c>: then deleting the VolumeSnapshot — or its namespace, <c>kubectl delete ns shop</c> — deletes the
/// content and the storage snapshot, and every backup's data of that namespace with them. So, as Velero's CSI plugin
/// does, Strata merge-patches such a content to <c>Retain</c> (annotated with the policy it had) and records that it
/// did: retention then deletes the storage snapshot itself (<see cref="ControlPlane.RetentionSweep"/>). A refused patch
/// is a warning naming the content and the risk; the snapshot is recorded all the same.
/// </summary>
internal sealed class BoundContent(IClusterWriter client, LayerContext context)
{
    /// <summary>The bound content, checked to point back at the snapshot; null with a warning otherwise.</summary>
    public async Task<JsonObject?> ReadAsync(ClaimSnapshot taken, CancellationToken cancellationToken)
    {
        var claim = taken.Claim;
        var what = Describe(taken);
        if (taken.Latest!.GetString("status.boundVolumeSnapshotContentName") is not { Length: > 0 } name)
        {
            context.Result.Warning($"{what} is ready but names no bound VolumeSnapshotContent: the snapshot handle is not recorded", VolumeLayer.Resource, claim.Namespace, claim.Name);
            return null;
        }

        try
        {
            var content = await client.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, name, cancellationToken);
            var reference = content?.Json["spec"]?["volumeSnapshotRef"];
            if (content is not null && reference?["name"]?.GetValue<string>() == taken.Name && reference["namespace"]?.GetValue<string>() == claim.Namespace)
            {
                return content.Json;
            }

            context.Result.Warning(content is null
                ? $"{what} is bound to VolumeSnapshotContent {name}, which was not found: the snapshot handle is not recorded"
                : $"VolumeSnapshotContent {name} does not point back at {what}: the binding is not verified, and the snapshot handle is not recorded",
                VolumeLayer.Resource, claim.Namespace, claim.Name);
        }
        catch (ClusterRequestException e)
        {
            context.Result.Warning($"reading VolumeSnapshotContent {name} of {what} failed: {e.Message}; the snapshot handle is not recorded", VolumeLayer.Resource, claim.Namespace, claim.Name, e.Reason);
        }

        return null;
    }

    /// <summary>
    /// Sets a <c>Delete</c> content to <c>Retain</c>; returns the content as it now is, and the policy it had when Strata
    /// changed it (also when an earlier attempt of this backup did, as its annotation says), else null.
    /// </summary>
    public async Task<(JsonObject Content, string? Original)> RetainAsync(ClaimSnapshot taken, JsonObject content, CancellationToken cancellationToken)
    {
        var policy = (content["spec"] as JsonObject)?["deletionPolicy"]?.GetValue<string>();
        if (policy != "Delete")
        {
            var earlier = (content["metadata"]?["annotations"] as JsonObject)?[VolumeSnapshotApi.OriginalDeletionPolicyAnnotation]?.GetValue<string>();
            return (content, policy == "Retain" && earlier == "Delete" ? earlier : null);
        }

        var name = content["metadata"]?["name"]?.GetValue<string>() ?? "";
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [VolumeSnapshotApi.OriginalDeletionPolicyAnnotation] = policy } },
            ["spec"] = new JsonObject { ["deletionPolicy"] = "Retain" },
        };
        try
        {
            var patched = await client.MergePatchAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, name, patch, cancellationToken: cancellationToken);
            return (patched.Json, policy);
        }
        catch (ClusterRequestException e)
        {
            var claim = taken.Claim;
            var why = e.StatusCode == 403 ? "Strata may not patch volumesnapshotcontents (grant it patch on them)" : e.Message;
            context.Result.Warning(
                $"VolumeSnapshotContent {name} of {Describe(taken)} keeps deletionPolicy: Delete, since setting it to Retain failed ({why}): "
                + $"deleting the VolumeSnapshot, or namespace {claim.Namespace}, deletes the storage snapshot and this backup's copy of claim {claim.Qualified} with it",
                VolumeLayer.Resource, claim.Namespace, claim.Name, e.Reason);
            return (content, null);
        }
    }

    private static string Describe(ClaimSnapshot taken) => $"VolumeSnapshot {taken.Claim.Namespace}/{taken.Name} of claim {taken.Claim.Qualified}";
}
