using Strata.Core.Backup;
using Strata.Core.Kubernetes;

namespace Strata.Core.Tests.Backup;

public class CapturePlannerTests
{
    private static readonly string[] All = ["create", "delete", "get", "list", "patch", "update", "watch"];

    private static readonly DiscoveryResult Discovery = new(
    [
        new("", "v1", "configmaps", "ConfigMap", true, All) { ShortNames = ["cm"], SingularName = "configmap" },
        new("", "v1", "secrets", "Secret", true, All),
        new("", "v1", "pods", "Pod", true, All),
        new("", "v1", "pods/log", "Pod", true, ["get"]),
        new("", "v1", "events", "Event", true, All),
        new("", "v1", "bindings", "Binding", true, ["create"]),
        new("", "v1", "namespaces", "Namespace", false, All),
        new("", "v1", "nodes", "Node", false, All),
        new("", "v1", "persistentvolumes", "PersistentVolume", false, All),
        new("apps", "v1", "deployments", "Deployment", true, All) { ShortNames = ["deploy"] },
        new("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true, All),
        new("autoscaling", "v1", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true, All, IsPreferredVersion: false),
        new("storage.k8s.io", "v1", "storageclasses", "StorageClass", false, All),
        new("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, All),
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false, All),
        new("metrics.k8s.io", "v1beta1", "pods", "PodMetrics", true, ["get", "list"]),
    ], []);

    private static Dictionary<string, CaptureMode> Planned(CapturePlan plan) =>
        plan.Resources.ToDictionary(r => $"{r.Resource.QualifiedName}@{r.Resource.Version}", r => r.Mode);

    [Fact]
    public void Plan_Defaults_TakeListableNamespacedInPreferredVersionAndLeaveOutTheTable()
    {
        var plan = CapturePlanner.Plan(Discovery, new BackupScope { IncludeNamespaces = ["shop"] });
        var planned = Planned(plan);

        Assert.Equal(CaptureMode.Namespaced, planned["configmaps@v1"]);
        Assert.Equal(CaptureMode.Namespaced, planned["horizontalpodautoscalers.autoscaling@v2"]);
        Assert.DoesNotContain("horizontalpodautoscalers.autoscaling@v1", planned.Keys);
        Assert.DoesNotContain(planned.Keys, k => k.StartsWith("pods/log", StringComparison.Ordinal));
        Assert.DoesNotContain("events@v1", planned.Keys);
        Assert.DoesNotContain("bindings@v1", planned.Keys);
        Assert.DoesNotContain("pods.metrics.k8s.io@v1beta1", planned.Keys);
        Assert.Contains(plan.Skipped, s => s.Resource == "events" && s.Reason.Contains("transient", StringComparison.Ordinal));
        Assert.Contains(plan.Skipped, s => s.Resource == "bindings" && s.Reason.Contains("list", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_AutoWithNamespaceFilter_TakesOnlyNeededClusterScopedTypes()
    {
        var planned = Planned(CapturePlanner.Plan(Discovery, new BackupScope { IncludeNamespaces = ["shop"] }));

        Assert.Equal(CaptureMode.Needed, planned["namespaces@v1"]);
        Assert.Equal(CaptureMode.Needed, planned["persistentvolumes@v1"]);
        Assert.Equal(CaptureMode.Needed, planned["clusterroles.rbac.authorization.k8s.io@v1"]);
        Assert.Equal(CaptureMode.Needed, planned["customresourcedefinitions.apiextensions.k8s.io@v1"]);
        Assert.DoesNotContain("storageclasses.storage.k8s.io@v1", planned.Keys);
        Assert.DoesNotContain("nodes@v1", planned.Keys);
    }

    [Fact]
    public void Plan_AutoForEveryNamespace_TakesAllClusterScopedButDefaultExclusions()
    {
        var planned = Planned(CapturePlanner.Plan(Discovery, new BackupScope()));

        Assert.Equal(CaptureMode.Full, planned["storageclasses.storage.k8s.io@v1"]);
        Assert.Equal(CaptureMode.FullAndNeeded, planned["namespaces@v1"]);
        Assert.DoesNotContain("nodes@v1", planned.Keys);
    }

    [Fact]
    public void Plan_ClusterResourcesExcluded_TakesNone()
    {
        var plan = CapturePlanner.Plan(Discovery, new BackupScope { ClusterResources = ClusterResourcesMode.Exclude });

        Assert.All(plan.Resources, r => Assert.True(r.Resource.Namespaced));
    }

    [Fact]
    public void Plan_IncludeResources_AcceptsKubectlNamesAndOverridesDefaultExclusion()
    {
        var scope = new BackupScope { IncludeResources = ["cm", "deployments.apps", "Secret", "events"], IncludeNamespaces = ["shop"] };
        var planned = Planned(CapturePlanner.Plan(Discovery, scope));

        Assert.Contains("configmaps@v1", planned.Keys);
        Assert.Contains("deployments.apps@v1", planned.Keys);
        Assert.Contains("secrets@v1", planned.Keys);
        Assert.Contains("events@v1", planned.Keys);
        Assert.DoesNotContain("pods@v1", planned.Keys);
        Assert.Equal(CaptureMode.Needed, planned["namespaces@v1"]);
    }

    [Fact]
    public void Plan_ExcludeResources_WinsOverEverything()
    {
        var scope = new BackupScope { IncludeResources = ["secrets"], ExcludeResources = ["secrets", "namespaces"] };
        var plan = CapturePlanner.Plan(Discovery, scope);

        Assert.DoesNotContain(plan.Resources, r => r.Resource.Name is "secrets" or "namespaces");
        Assert.Contains(plan.Skipped, s => s.Resource == "secrets" && s.Reason.Contains("--exclude-resources", StringComparison.Ordinal));
    }
}
