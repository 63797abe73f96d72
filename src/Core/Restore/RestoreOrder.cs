namespace Strata.Core.Restore;

/// <summary>
/// The order in which a restore applies objects: a table, with the reason for each row. Users
/// never reorder it; their own priorities are merged in (<see cref="WithPriorities"/>).
/// </summary>
public sealed class RestoreOrder
{
    /// <summary>Group-qualified name of CustomResourceDefinitions.</summary>
    public const string CustomResourceDefinitions = "customresourcedefinitions.apiextensions.k8s.io";

    private RestoreOrder(IReadOnlyList<RestoreTier> tiers) => Tiers = tiers;

    /// <summary>The tiers, first to last.</summary>
    public IReadOnlyList<RestoreTier> Tiers { get; }

    /// <summary>The default order.</summary>
    public static RestoreOrder Default { get; } = new(
    [
        new("custom resource definitions",
            "custom resources cannot be created until their definition is Established; restore waits for it",
            [CustomResourceDefinitions], WaitForEstablished: true),
        new("namespaces",
            "every namespaced object needs its Namespace: the server refuses objects in a missing one",
            ["namespaces"]),
        new("classes",
            "claims name a StorageClass, Pods a PriorityClass or RuntimeClass, Ingresses an IngressClass; admission refuses a Pod whose PriorityClass is missing",
            ["storageclasses.storage.k8s.io", "priorityclasses.scheduling.k8s.io", "runtimeclasses.node.k8s.io", "ingressclasses.networking.k8s.io"]),
        new("service accounts",
            "the ServiceAccount admission plugin refuses Pods whose ServiceAccount is missing",
            ["serviceaccounts"]),
        new("roles",
            "bindings grant roles; the roles exist before anything is granted",
            ["roles.rbac.authorization.k8s.io", "clusterroles.rbac.authorization.k8s.io"]),
        new("role bindings",
            "grant the restored roles to the restored service accounts before workloads run under them",
            ["rolebindings.rbac.authorization.k8s.io", "clusterrolebindings.rbac.authorization.k8s.io"]),
        new("configuration",
            "Pods read ConfigMaps and Secrets as they start; a missing one blocks the container",
            ["configmaps", "secrets"]),
        new("limits and quotas",
            "admission applies LimitRanges and ResourceQuotas to the Pods and claims created after them",
            ["limitranges", "resourcequotas"]),
        new("persistent volumes",
            "restored claims bind to their own volumes rather than to newly provisioned ones",
            ["persistentvolumes"]),
        new("persistent volume claims",
            "a Pod that mounts a missing claim stays Pending; a claim the backup holds a snapshot of is created from it (dataSource), "
            + "so the VolumeSnapshot it names is made ready in its namespace first",
            ["persistentvolumeclaims"], RestoresSnapshots: true),
        new("services",
            "Pods get environment variables only for the Services that exist when they start",
            ["services"]),
        new("workloads",
            "they need everything above; their controllers create the Pods",
            ["deployments.apps", "statefulsets.apps", "daemonsets.apps", "replicasets.apps", "replicationcontrollers",
             "cronjobs.batch", "jobs.batch", "pods"]),
        new("ingresses",
            "route to the Services restored above",
            ["ingresses.networking.k8s.io"]),
        new("network policies",
            "select the Pods of the workloads restored above",
            ["networkpolicies.networking.k8s.io"]),
        new("autoscalers and disruption budgets",
            "act on the workloads restored above; an autoscaler without its target only reports errors",
            ["horizontalpodautoscalers.autoscaling", "poddisruptionbudgets.policy"]),
        new("other built-in resources",
            "no dependency known; applied in a stable (alphabetical) order",
            [], TierKind.OtherBuiltIn),
        new("custom resources",
            "their definitions are Established (first tier) and the built-in objects they refer to exist",
            [], TierKind.CustomResources),
        new("admission and API aggregation",
            "a webhook or APIService restored before the service behind it runs would refuse or break every request after it",
            ["mutatingwebhookconfigurations.admissionregistration.k8s.io", "validatingwebhookconfigurations.admissionregistration.k8s.io",
             "validatingadmissionpolicies.admissionregistration.k8s.io", "validatingadmissionpolicybindings.admissionregistration.k8s.io",
             "apiservices.apiregistration.k8s.io"]),
    ]);

    /// <summary>
    /// Merges a user's priorities into this order. Each named resource that no tier lists gets a
    /// tier of its own, in the order given, at the start of the stage it would otherwise fall in
    /// (other built-in resources, or custom resources). A resource some tier already lists keeps
    /// its place: the defaults encode dependencies a user must not undo; it is returned in
    /// <paramref name="ignored"/> with the tier that keeps it.
    /// </summary>
    public RestoreOrder WithPriorities(IEnumerable<string> priorities, Func<string, bool> isCustom, out IReadOnlyList<string> ignored)
    {
        var tiers = Tiers.ToList();
        var notes = new List<string>();
        foreach (var raw in priorities)
        {
            var name = raw.Trim().ToLowerInvariant();
            if (name.Length == 0)
            {
                continue;
            }

            if (tiers.FirstOrDefault(t => t.Resources.Contains(name, StringComparer.Ordinal)) is { } existing)
            {
                notes.Add($"{name} is already ordered by default (tier \"{existing.Name}\": {existing.Reason}); it stays there");
                continue;
            }

            // Inserting just before the stage's catch-all keeps the user's order among their priorities.
            var stage = isCustom(name) ? TierKind.CustomResources : TierKind.OtherBuiltIn;
            tiers.Insert(tiers.FindIndex(t => t.Kind == stage), new RestoreTier(
                $"priority: {name}",
                $"asked for by the user, ahead of the other {(stage == TierKind.CustomResources ? "custom" : "built-in")} resources",
                [name]));
        }

        ignored = notes;
        return new RestoreOrder(tiers);
    }

    /// <summary>The index of the tier that applies objects of <paramref name="qualifiedResource"/>.</summary>
    public int TierOf(string qualifiedResource, bool isCustom)
    {
        for (var i = 0; i < Tiers.Count; i++)
        {
            if (Tiers[i].Kind == TierKind.Listed && Tiers[i].Resources.Contains(qualifiedResource, StringComparer.Ordinal))
            {
                return i;
            }
        }

        var stage = isCustom ? TierKind.CustomResources : TierKind.OtherBuiltIn;
        for (var i = 0; i < Tiers.Count; i++)
        {
            if (Tiers[i].Kind == stage)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"the restore order has no {stage} tier");
    }

    /// <summary>
    /// Whether <paramref name="group"/> is one of Kubernetes' own API groups (the core group,
    /// groups without a dot such as <c>apps</c>, and <c>*.k8s.io</c>).
    /// </summary>
    public static bool IsBuiltInGroup(string group) =>
        group.Length == 0 || !group.Contains('.', StringComparison.Ordinal) || group.EndsWith(".k8s.io", StringComparison.Ordinal);
}
