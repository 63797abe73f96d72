using Strata.Core.Backup;
using Strata.Core.Kubernetes;

namespace Strata.Core.Coverage;

/// <summary>Whether a policy's objects layer takes an object: its namespace, labels, type and GitOps mode, as capture decides them.</summary>
internal static class ObjectScope
{
    public static bool Includes(BackupScope scope, KubeObject obj, ApiResource resource) =>
        scope.IncludesNamespace(obj.Namespace ?? "")
        && scope.Selector.Matches(obj.Labels)
        && !scope.ExcludeResources.Any(resource.IsNamedBy)
        && (scope.IncludeResources.Count == 0 || scope.IncludeResources.Any(n => n == "*" || resource.IsNamedBy(n)))
        && !(scope.SkipGitOpsManaged && GitOpsClassifier.Classify(obj) is not null);
}
