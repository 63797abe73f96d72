using System.Text.Json.Nodes;
using Strata.Core.Backup;
using Strata.Core.Ports;
using Strata.Core.Results;

namespace Strata.Core.Volumes;

/// <summary>
/// The VolumeSnapshotContent a ready snapshot is bound to: read, checked to point back at the snapshot (as the
/// external-snapshotter asks consumers to), and made to outlive it. A content keeps its class's <c>deletionPolicy</c>,
/// usually <c>Delete</c>: then deleting the VolumeSnapshot — or its namespace, <c>kubectl delete ns shop</c> — deletes the
/// content and the storage snapshot, and every backup's data of that namespace with them. So, as Velero's CSI plugin
/// does, Strata merge-patches such a content to <c>Retain</c> (annotated with the policy it had) and records that it
/// did: retention then deletes the storage snapshot itself (<see cref="ControlPlane.RetentionSweep"/>). A content that
/// cannot be read (refused, failed, missing, not pointing back) or made <c>Retain</c> is an error of the claim naming
/// the content and the risk — the backup holds no handle of that snapshot, or loses it with its namespace — and the
/// snapshot is recorded all the same, with that error (a restore in the same cluster can still use it).
/// </summary>
internal sealed class BoundContent(IClusterWriter client, LayerContext context)
{
    /// <summary>The bound content, checked to point back at the snapshot; else null and the error, reported.</summary>
    public async Task<(JsonObject? Content, string? Error)> ReadAsync(ClaimSnapshot taken, CancellationToken cancellationToken)
    {
        var what = Describe(taken);
        if (taken.Latest!.GetString("status.boundVolumeSnapshotContentName") is not { Length: > 0 } name)
        {
            return (null, Report(taken, $"{what} is ready but names no bound VolumeSnapshotContent: {NotRecorded}", ProblemReasons.NotFound));
        }

        try
        {
            var content = await client.GetAsync(VolumeSnapshotApi.VolumeSnapshotContents, null, name, cancellationToken);
            var reference = content?.Json["spec"]?["volumeSnapshotRef"];
            if (content is not null && reference?["name"]?.GetValue<string>() == taken.Name && reference["namespace"]?.GetValue<string>() == taken.Claim.Namespace)
            {
                return (content.Json, null);
            }

            return (null, content is null
                ? Report(taken, $"{what} is bound to VolumeSnapshotContent {name}, which was not found: {NotRecorded}", ProblemReasons.NotFound)
                : Report(taken, $"VolumeSnapshotContent {name} does not point back at {what}: the binding is not verified; {NotRecorded}", ProblemReasons.SnapshotFailed));
        }
        catch (ClusterRequestException e)
        {
            return (null, Report(taken, $"reading VolumeSnapshotContent {name} of {what} failed: {e.Message}; {NotRecorded}", e.Reason ?? ProblemReasons.SnapshotFailed));
        }
    }

    /// <summary>
    /// Sets a <c>Delete</c> content to <c>Retain</c>; returns the content as it now is, and the policy it had when Strata
    /// changed it (also when an earlier attempt of this backup did, as its annotation says), else null; and the error,
    /// reported, when it could not.
    /// </summary>
    public async Task<(JsonObject Content, string? Original, string? Error)> RetainAsync(ClaimSnapshot taken, JsonObject content, CancellationToken cancellationToken)
    {
        var policy = (content["spec"] as JsonObject)?["deletionPolicy"]?.GetValue<string>();
        if (policy != "Delete")
        {
            var earlier = (content["metadata"]?["annotations"] as JsonObject)?[VolumeSnapshotApi.OriginalDeletionPolicyAnnotation]?.GetValue<string>();
            return (content, policy == "Retain" && earlier == "Delete" ? earlier : null, null);
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
            return (patched.Json, policy, null);
        }
        catch (ClusterRequestException e)
        {
            var claim = taken.Claim;
            var why = e.StatusCode == 403 ? $"{e.Message}; grant Strata patch on volumesnapshotcontents" : e.Message;
            return (content, null, Report(taken,
                $"VolumeSnapshotContent {name} of {Describe(taken)} keeps deletionPolicy: Delete, since setting it to Retain failed ({why}): "
                + $"deleting the VolumeSnapshot, or namespace {claim.Namespace}, deletes the storage snapshot and this backup's copy of claim {claim.Qualified} with it",
                e.Reason ?? ProblemReasons.SnapshotFailed));
        }
    }

    private const string NotRecorded = "the snapshot handle is not recorded, and the content was not set to Retain (deleting the namespace may delete the storage snapshot)";

    /// <summary>An error of the claim: its snapshot is taken, but this backup cannot rely on it.</summary>
    private string Report(ClaimSnapshot taken, string message, string reason)
    {
        context.Result.Error(message, VolumeLayer.Resource, taken.Claim.Namespace, taken.Claim.Name, reason);
        return message;
    }

    private static string Describe(ClaimSnapshot taken) => $"VolumeSnapshot {taken.Claim.Namespace}/{taken.Name} of claim {taken.Claim.Qualified}";
}
