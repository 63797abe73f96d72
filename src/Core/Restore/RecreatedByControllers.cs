using Strata.Core.Kubernetes;

namespace Strata.Core.Restore;

/// <summary>
/// Objects a restore leaves to the target's controllers, which recreate them from objects that
/// are restored — or to its API server, which bootstraps its own RBAC defaults (<see cref="RbacBootstrap"/>) —
/// or makes anew itself, as Strata's own snapshot objects, which come back through the claims they
/// were taken of: a table of rules, each with its reason.
/// </summary>
public static class RecreatedByControllers
{
    private const string BootstrapWhy =
        "the API server bootstraps its RBAC roles and bindings (and the control plane its system: ones) on every cluster; creating or patching one without escalate/bind is refused before its existence is checked, and would overwrite the target's with the source's";

    /// <summary>The rules, by group-qualified resource.</summary>
    public static IReadOnlyList<RecreationRule> Rules { get; } =
    [
        new("pods", "a Pod with a controller is recreated by it",
            (o, _) => o.ControllerOwner is { } owner ? $"recreated by its controller ({owner.Kind} {owner.Name})" : null),
        new("replicasets.apps", "a Deployment creates its ReplicaSets",
            (o, _) => o.ControllerOwner is { Kind: "Deployment" } owner ? $"recreated by Deployment {owner.Name}" : null),
        new("jobs.batch", "a CronJob creates its Jobs on schedule",
            (o, _) => o.ControllerOwner is { Kind: "CronJob" } owner ? $"created by CronJob {owner.Name} on its schedule" : null),
        new("controllerrevisions.apps", "StatefulSets and DaemonSets record their own revisions",
            (o, _) => o.ControllerOwner is { Kind: "StatefulSet" or "DaemonSet" } owner ? $"recorded anew by {owner.Kind} {owner.Name}" : null),
        new("endpoints", "the endpoints controller derives them from a Service with a selector and its ready Pods",
            (o, set) => set.HasSelectorService(o.Namespace, o.Name) ? $"derived from Service {o.Name} by the endpoints controller" : null),
        new("endpointslices.discovery.k8s.io", "the EndpointSlice controllers derive them (the managed-by label says which)",
            (o, _) => o.Label("endpointslice.kubernetes.io/managed-by") is { } manager && manager.EndsWith(".k8s.io", StringComparison.Ordinal)
                ? $"derived by {manager}" : null),
        new("events", "events are history, not state; the target's controllers emit their own",
            (_, _) => "an event: history, not state"),
        new("events.events.k8s.io", "events are history, not state; the target's controllers emit their own",
            (_, _) => "an event: history, not state"),
        new("persistentvolumes",
            "a claim the backup holds a snapshot of is restored from it onto a new volume, which its CSI provisioner creates; the old volume's disk belongs to the original, and a pre-bound volume would win over the snapshot",
            (o, set) => o.GetString("spec.claimRef.name") is { } claim && set.HasSnapshot(o.GetString("spec.claimRef.namespace"), claim)
                ? $"its claim {o.GetString("spec.claimRef.namespace")}/{claim} is restored from its snapshot: the CSI provisioner creates a new volume from it"
                : null),
        new("configmaps",
            "a backup_label ConfigMap an earlier restore made would hand PostgreSQL the label of another snapshot; the restore writes the one its snapshot needs",
            (o, _) => Snapshots.StrataSnapshotObjects.BackupLabelReason(o)),
        new(Snapshots.StrataSnapshotObjects.VolumeSnapshots,
            "Strata's own VolumeSnapshots come back through their claims' dataSource, from the backup's volume records; re-applied, one whose source is a claim would snapshot the restored claim",
            (o, _) => Snapshots.StrataSnapshotObjects.SnapshotReason(o)),
        new(Snapshots.StrataSnapshotObjects.VolumeSnapshotContents,
            "the contents of Strata's snapshots are made anew, pre-provisioned with deletionPolicy Retain; re-applied, the original would fight over its snapshot handle",
            (o, set) => Snapshots.StrataSnapshotObjects.ContentReason(o, set)),
        new("clusterroles.rbac.authorization.k8s.io", BootstrapWhy, (o, _) => RbacBootstrap.ClusterReason(o)),
        new("clusterrolebindings.rbac.authorization.k8s.io", BootstrapWhy, (o, _) => RbacBootstrap.ClusterReason(o)),
        new("roles.rbac.authorization.k8s.io", BootstrapWhy, (o, _) => RbacBootstrap.Reason(o)),
        new("rolebindings.rbac.authorization.k8s.io", BootstrapWhy, (o, _) => RbacBootstrap.Reason(o)),
    ];

    /// <summary>Why <paramref name="obj"/> is left to a controller, or null when it is restored.</summary>
    public static string? Reason(string qualifiedResource, KubeObject obj, IRestoreSetFacts set)
    {
        foreach (var rule in Rules)
        {
            if (rule.Resource == qualifiedResource && rule.Applies(obj, set) is { } reason)
            {
                return reason;
            }
        }

        return null;
    }
}
