using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;
using Strata.Core.Results;

namespace Strata.Core.Volumes;

/// <summary>
/// Decides, per claim, whether it can be snapshotted and with which VolumeSnapshotClass: the claim must be bound to a
/// CSI volume; its class is the first entry of <c>volumes.classes</c> for its StorageClass, else the first for its
/// driver, else the driver's default class (<c>snapshot.storage.kubernetes.io/is-default-class: "true"</c>, the first
/// by name when several claim it). Everything else is unprotected, with the reason.
/// </summary>
/// <param name="volumes">The cluster's PersistentVolumes, by name.</param>
/// <param name="classes">The cluster's VolumeSnapshotClasses.</param>
/// <param name="rules">The policy's <c>volumes.classes</c>.</param>
/// <param name="cluster">The cluster's name, for messages.</param>
internal sealed class ClaimPlanner(IReadOnlyDictionary<string, KubeObject> volumes, IReadOnlyList<KubeObject> classes, IReadOnlyList<SnapshotClassRule> rules, string cluster)
{
    /// <summary>Fields of a PersistentVolume's spec that are not its volume source (what is left names the plugin).</summary>
    private static readonly HashSet<string> CommonFields = new(StringComparer.Ordinal)
    {
        "accessModes", "capacity", "claimRef", "mountOptions", "nodeAffinity", "persistentVolumeReclaimPolicy", "storageClassName", "volumeMode", "volumeAttributesClassName",
    };

    public ClaimVerdict Plan(KubeObject claim)
    {
        var ns = claim.Namespace ?? "";
        var storageClass = claim.GetString("spec.storageClassName") ?? claim.Annotation("volume.beta.kubernetes.io/storage-class");
        UnprotectedVolume Unprotected(string? driver, string reason) => new(ns, claim.Name, storageClass, driver, reason);

        var phase = claim.GetString("status.phase");
        var volumeName = claim.GetString("spec.volumeName");
        if (phase == "Lost")
        {
            return new(null, Unprotected(null, $"lost: its volume {volumeName} is gone"));
        }

        if (phase != "Bound" || volumeName is not { Length: > 0 })
        {
            return new(null, Unprotected(null, $"not bound ({phase ?? "Pending"}): there is no volume to snapshot"));
        }

        if (!volumes.TryGetValue(volumeName, out var volume))
        {
            return new(null, Unprotected(null, $"its volume {volumeName} was not found"));
        }

        if ((volume.Json["spec"] as JsonObject)?["csi"] is not JsonObject csi || csi["driver"]?.GetValue<string>() is not { Length: > 0 } driver)
        {
            return new(null, Unprotected(null, $"not a CSI volume (in-tree plugin {Plugin(volume)}): CSI snapshots need a CSI driver"));
        }

        var rule = rules.FirstOrDefault(r => r.StorageClass is not null && r.AppliesTo(storageClass, driver))
            ?? rules.FirstOrDefault(r => r.Driver is not null && r.AppliesTo(storageClass, driver));
        if (rule is not null)
        {
            return Named(claim, rule, driver, storageClass, Unprotected);
        }

        var defaults = classes
            .Where(c => c.Json["driver"]?.GetValue<string>() == driver && c.Annotation(VolumeSnapshotApi.DefaultClassAnnotation) == "true")
            .Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
        return defaults.Count > 0
            ? new(new PlannedClaim(claim, driver, storageClass, defaults[0]), null)
            : new(null, Unprotected(driver, $"no VolumeSnapshotClass for driver {driver}: none in volumes.classes matches StorageClass {storageClass ?? "(none)"}, and none is marked default"));
    }

    private ClaimVerdict Named(KubeObject claim, SnapshotClassRule rule, string driver, string? storageClass, Func<string?, string, UnprotectedVolume> unprotected)
    {
        var field = $"{rule.Field}.volumeSnapshotClassName";
        var named = classes.FirstOrDefault(c => c.Name == rule.VolumeSnapshotClassName);
        if (named is null)
        {
            var reason = $"{field} names VolumeSnapshotClass {rule.VolumeSnapshotClassName}, which cluster {cluster} does not have";
            return new(null, unprotected(driver, reason), $"claim {claim.Namespace}/{claim.Name} is not snapshotted: {reason}", ProblemReasons.NotFound);
        }

        var classDriver = named.Json["driver"]?.GetValue<string>();
        if (classDriver != driver)
        {
            var reason = $"VolumeSnapshotClass {named.Name} ({field}) is for driver {classDriver}, but the claim's volume is on driver {driver}";
            return new(null, unprotected(driver, reason), $"claim {claim.Namespace}/{claim.Name} is not snapshotted: {reason}", ProblemReasons.DriverMismatch);
        }

        return new(new PlannedClaim(claim, driver, storageClass, named.Name), null);
    }

    private static string Plugin(KubeObject volume) =>
        (volume.Json["spec"] as JsonObject)?.Select(p => p.Key).FirstOrDefault(k => !CommonFields.Contains(k)) ?? "unknown";
}
