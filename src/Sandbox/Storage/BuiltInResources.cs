namespace Strata.Sandbox.Storage;

/// <summary>The built-in resource types the sandbox serves, as a Kubernetes 1.31 API server does.</summary>
internal static class BuiltInResources
{
    private static readonly string[] CreateOnly = ["create"];

    public static IEnumerable<ResourceType> All()
    {
        // core/v1
        yield return T("", "namespaces", "Namespace", false, ["ns"], subresources: ["status", "finalize"], verbs: ["create", "delete", "get", "list", "patch", "update"], returnsDeleted: true);
        yield return T("", "configmaps", "ConfigMap", true, ["cm"]);
        yield return T("", "secrets", "Secret", true);
        yield return T("", "services", "Service", true, ["svc"], subresources: ["status", "proxy"]);
        yield return T("", "serviceaccounts", "ServiceAccount", true, ["sa"], subresources: ["token"], returnsDeleted: true);
        yield return T("", "pods", "Pod", true, ["po"], subresources: ["status", "log", "exec", "binding", "eviction"], returnsDeleted: true);
        yield return T("", "persistentvolumeclaims", "PersistentVolumeClaim", true, ["pvc"], subresources: ["status"], returnsDeleted: true);
        yield return T("", "persistentvolumes", "PersistentVolume", false, ["pv"], subresources: ["status"], returnsDeleted: true);
        yield return T("", "events", "Event", true, ["ev"]);
        yield return T("", "endpoints", "Endpoints", true, ["ep"]);
        yield return T("", "nodes", "Node", false, ["no"], subresources: ["status", "proxy"]);
        yield return T("", "limitranges", "LimitRange", true, ["limits"]);
        yield return T("", "resourcequotas", "ResourceQuota", true, ["quota"], subresources: ["status"]);
        yield return T("", "replicationcontrollers", "ReplicationController", true, ["rc"], subresources: ["status", "scale"], generation: true);
        yield return T("", "podtemplates", "PodTemplate", true);
        yield return T("", "bindings", "Binding", true, verbs: CreateOnly);

        yield return T("apps", "deployments", "Deployment", true, ["deploy"], subresources: ["status", "scale"], generation: true);
        yield return T("apps", "statefulsets", "StatefulSet", true, ["sts"], subresources: ["status", "scale"], generation: true);
        yield return T("apps", "daemonsets", "DaemonSet", true, ["ds"], subresources: ["status"], generation: true);
        yield return T("apps", "replicasets", "ReplicaSet", true, ["rs"], subresources: ["status", "scale"], generation: true);
        yield return T("apps", "controllerrevisions", "ControllerRevision", true);
        yield return T("batch", "jobs", "Job", true, subresources: ["status"], generation: true);
        yield return T("batch", "cronjobs", "CronJob", true, ["cj"], subresources: ["status"], generation: true);
        yield return new ResourceType
        {
            Group = "autoscaling", Versions = ["v2", "v1"], Plural = "horizontalpodautoscalers", Singular = "horizontalpodautoscaler",
            Kind = "HorizontalPodAutoscaler", Namespaced = true, ShortNames = ["hpa"], Subresources = ["status"], HasGeneration = true,
        };
        yield return T("policy", "poddisruptionbudgets", "PodDisruptionBudget", true, ["pdb"], subresources: ["status"], generation: true);
        yield return T("networking.k8s.io", "ingresses", "Ingress", true, ["ing"], subresources: ["status"], generation: true);
        yield return T("networking.k8s.io", "networkpolicies", "NetworkPolicy", true, ["netpol"], generation: true);
        yield return T("networking.k8s.io", "ingressclasses", "IngressClass", false);
        yield return T("rbac.authorization.k8s.io", "roles", "Role", true);
        yield return T("rbac.authorization.k8s.io", "rolebindings", "RoleBinding", true);
        yield return T("rbac.authorization.k8s.io", "clusterroles", "ClusterRole", false);
        yield return T("rbac.authorization.k8s.io", "clusterrolebindings", "ClusterRoleBinding", false);
        yield return T("storage.k8s.io", "storageclasses", "StorageClass", false, ["sc"], returnsDeleted: true);
        yield return T("storage.k8s.io", "csidrivers", "CSIDriver", false);
        yield return T("storage.k8s.io", "csinodes", "CSINode", false);
        yield return T("storage.k8s.io", "volumeattachments", "VolumeAttachment", false, subresources: ["status"]);
        yield return T("scheduling.k8s.io", "priorityclasses", "PriorityClass", false, ["pc"]);
        yield return T("coordination.k8s.io", "leases", "Lease", true);
        yield return T("discovery.k8s.io", "endpointslices", "EndpointSlice", true);
        yield return T("events.k8s.io", "events", "Event", true, ["ev"]);
        yield return T("apiextensions.k8s.io", "customresourcedefinitions", "CustomResourceDefinition", false, ["crd", "crds"], subresources: ["status"], generation: true);
        yield return T("authorization.k8s.io", "selfsubjectaccessreviews", "SelfSubjectAccessReview", false, verbs: CreateOnly);
        yield return T("authentication.k8s.io", "tokenreviews", "TokenReview", false, verbs: CreateOnly);
    }

    private static ResourceType T(
        string group, string plural, string kind, bool namespaced, string[]? shortNames = null,
        string[]? subresources = null, string[]? verbs = null, bool generation = false, bool returnsDeleted = false) => new()
    {
        Group = group,
        Versions = ["v1"],
        Plural = plural,
        Singular = kind.ToLowerInvariant(),
        Kind = kind,
        Namespaced = namespaced,
        ShortNames = shortNames ?? [],
        Subresources = subresources ?? [],
        Verbs = verbs ?? ResourceType.StandardVerbs,
        HasGeneration = generation,
        ReturnsDeletedObject = returnsDeleted,
    };
}
