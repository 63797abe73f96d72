using System.Text.Json.Nodes;
using Strata.Core.Backup;
using Strata.Core.Kubernetes;
using Strata.Core.Ports;

namespace Strata.Core.Volumes;

/// <summary>
/// The <c>VolumeSnapshot</c> a Strata backup creates for a claim: named by <see cref="VolumeSnapshotName"/>, labelled
/// with the backup id, the policy and the manager, annotated with the claim, its class always named. One that exists
/// under that name with this backup's id and claim (an earlier attempt of the same run) is reused, never created twice;
/// one that does not is someone else's and is left alone.
/// </summary>
internal static class VolumeSnapshotRequest
{
    public static JsonObject Body(LayerContext context, PlannedClaim claim, string name) => new()
    {
        ["apiVersion"] = VolumeSnapshotApi.ApiVersion,
        ["kind"] = VolumeSnapshotApi.VolumeSnapshots.Kind,
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = claim.Namespace,
            ["labels"] = new JsonObject
            {
                [StrataLabels.BackupId] = context.BackupId,
                [StrataLabels.Policy] = context.Policy,
                [StrataLabels.ManagedBy] = StrataLabels.Manager,
            },
            ["annotations"] = new JsonObject { [VolumeSnapshotApi.ClaimAnnotation] = claim.Name },
        },
        ["spec"] = new JsonObject
        {
            ["volumeSnapshotClassName"] = claim.VolumeSnapshotClass,
            ["source"] = new JsonObject { ["persistentVolumeClaimName"] = claim.Name },
        },
    };

    /// <summary>Creates the snapshot, or finds the one an earlier attempt of this backup created; true when it was found.</summary>
    public static async Task<(KubeObject Snapshot, bool Reused)> EnsureAsync(IClusterWriter client, LayerContext context, PlannedClaim claim, string name, CancellationToken cancellationToken)
    {
        try
        {
            if (await FindOwnAsync(client, context, claim, name, cancellationToken) is { } existing)
            {
                return (existing, true);
            }

            try
            {
                return (await client.CreateAsync(VolumeSnapshotApi.VolumeSnapshots, claim.Namespace, Body(context, claim, name), cancellationToken: cancellationToken), false);
            }
            catch (ClusterRequestException e) when (e.StatusCode == 409)
            {
                // Created between the read and the create: by another attempt of this backup (reused), or by someone else (refused).
                return (await FindOwnAsync(client, context, claim, name, cancellationToken) ?? throw Foreign(claim, name), true);
            }
        }
        catch (ClusterRequestException e)
        {
            throw new VolumeSnapshotException($"creating VolumeSnapshot {claim.Namespace}/{name} of claim {claim.Qualified} on cluster {context.Cluster} failed: {e.Message}",
                e.Reason ?? "RequestFailed", e);
        }
    }

    private static async Task<KubeObject?> FindOwnAsync(IClusterWriter client, LayerContext context, PlannedClaim claim, string name, CancellationToken cancellationToken)
    {
        var existing = await client.GetAsync(VolumeSnapshotApi.VolumeSnapshots, claim.Namespace, name, cancellationToken);
        return existing is null ? null
            : existing.Label(StrataLabels.BackupId) == context.BackupId && existing.GetString("spec.source.persistentVolumeClaimName") == claim.Name ? existing
            : throw Foreign(claim, name);
    }

    private static VolumeSnapshotException Foreign(PlannedClaim claim, string name) =>
        new($"a VolumeSnapshot {claim.Namespace}/{name} exists that this Strata backup did not create; it was left alone, and claim {claim.Qualified} was not snapshotted", "AlreadyExists");
}
