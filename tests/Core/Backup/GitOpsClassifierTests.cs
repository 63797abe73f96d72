using System.Text.Json.Nodes;
using Strata.Core.Backup;
using Strata.Core.Kubernetes;

namespace Strata.Core.Tests.Backup;

public class GitOpsClassifierTests
{
    private static KubeObject Object(Dictionary<string, string>? labels = null, Dictionary<string, string>? annotations = null)
    {
        var metadata = new JsonObject { ["name"] = "x", ["namespace"] = "shop" };
        if (labels is not null)
        {
            metadata["labels"] = new JsonObject([.. labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]);
        }

        if (annotations is not null)
        {
            metadata["annotations"] = new JsonObject([.. annotations.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]);
        }

        return new KubeObject(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = metadata });
    }

    [Fact]
    public void Classify_ArgoTrackingAnnotation_IsArgoCdWithTheApplication()
    {
        var owner = GitOpsClassifier.Classify(Object(annotations: new() { ["argocd.argoproj.io/tracking-id"] = "shop:apps/Deployment:shop/web" }));

        Assert.Equal(new GitOpsOwner(GitOpsManager.ArgoCd, "shop", "annotation argocd.argoproj.io/tracking-id"), owner);
    }

    [Fact]
    public void Classify_FluxKustomizeLabels_IsFluxWithNamespacedName()
    {
        var owner = GitOpsClassifier.Classify(Object(labels: new()
        {
            ["kustomize.toolkit.fluxcd.io/name"] = "apps",
            ["kustomize.toolkit.fluxcd.io/namespace"] = "flux-system",
        }));

        Assert.Equal(GitOpsManager.Flux, owner?.Manager);
        Assert.Equal("flux-system/apps", owner?.Application);
    }

    [Fact]
    public void Classify_FluxHelmLabels_IsFlux()
    {
        var owner = GitOpsClassifier.Classify(Object(labels: new() { ["helm.toolkit.fluxcd.io/name"] = "redis" }));

        Assert.Equal(GitOpsManager.Flux, owner?.Manager);
    }

    [Fact]
    public void Classify_InstanceLabelWithoutHelmRelease_IsArgoCdLabelTracking()
    {
        var owner = GitOpsClassifier.Classify(Object(labels: new() { ["app.kubernetes.io/instance"] = "shop" }));

        Assert.Equal(GitOpsManager.ArgoCd, owner?.Manager);
    }

    [Fact]
    public void Classify_InstanceLabelFromHelmInstall_IsImperative()
    {
        var owner = GitOpsClassifier.Classify(Object(
            labels: new() { ["app.kubernetes.io/instance"] = "redis" },
            annotations: new() { ["meta.helm.sh/release-name"] = "redis" }));

        Assert.Null(owner);
    }

    [Fact]
    public void Classify_NoMarks_IsImperative() => Assert.Null(GitOpsClassifier.Classify(Object()));
}
