using Strata.Core.Kubernetes;

namespace Strata.Core.Backup;

/// <summary>
/// Classifies objects as managed by Argo CD or Flux (rebuildable from Git) or imperative, from the
/// marks each tool leaves on what it applies.
/// </summary>
public static class GitOpsClassifier
{
    /// <summary>Argo CD's annotation-based tracking (the default since Argo CD 3.0): <c>app:group/kind:ns/name</c>.</summary>
    public const string ArgoTrackingAnnotation = "argocd.argoproj.io/tracking-id";

    /// <summary>Argo CD's label-based tracking (the default before 3.0).</summary>
    public const string ArgoInstanceLabel = "app.kubernetes.io/instance";

    /// <summary>Set by <c>helm install</c> (not by <c>helm template</c>, which Argo CD uses).</summary>
    public const string HelmReleaseAnnotation = "meta.helm.sh/release-name";

    /// <summary>Set by Flux's kustomize-controller on what it applies.</summary>
    public const string FluxKustomizeName = "kustomize.toolkit.fluxcd.io/name";

    /// <summary>Namespace of the Flux Kustomization.</summary>
    public const string FluxKustomizeNamespace = "kustomize.toolkit.fluxcd.io/namespace";

    /// <summary>Set by Flux's helm-controller on what it installs.</summary>
    public const string FluxHelmName = "helm.toolkit.fluxcd.io/name";

    /// <summary>Namespace of the Flux HelmRelease.</summary>
    public const string FluxHelmNamespace = "helm.toolkit.fluxcd.io/namespace";

    /// <summary>The owner of <paramref name="obj"/>, or null when it was applied imperatively.</summary>
    public static GitOpsOwner? Classify(KubeObject obj)
    {
        if (obj.Annotation(ArgoTrackingAnnotation) is { Length: > 0 } tracking)
        {
            var app = tracking.Split(':', 2)[0];
            return new GitOpsOwner(GitOpsManager.ArgoCd, app, $"annotation {ArgoTrackingAnnotation}");
        }

        if (obj.Label(FluxKustomizeName) is { Length: > 0 } kustomization)
        {
            return new GitOpsOwner(GitOpsManager.Flux, Qualify(obj.Label(FluxKustomizeNamespace), kustomization), $"label {FluxKustomizeName}");
        }

        if (obj.Label(FluxHelmName) is { Length: > 0 } release)
        {
            return new GitOpsOwner(GitOpsManager.Flux, Qualify(obj.Label(FluxHelmNamespace), release), $"label {FluxHelmName}");
        }

        // The instance label is also set by most Helm charts. helm install marks its objects with
        // the release annotation; Argo CD renders charts with helm template, which does not.
        if (obj.Label(ArgoInstanceLabel) is { Length: > 0 } instance && obj.Annotation(HelmReleaseAnnotation) is null)
        {
            return new GitOpsOwner(GitOpsManager.ArgoCd, instance, $"label {ArgoInstanceLabel}");
        }

        return null;
    }

    private static string Qualify(string? ns, string name) => ns is { Length: > 0 } ? $"{ns}/{name}" : name;
}
