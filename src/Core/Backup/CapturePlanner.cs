using Strata.Core.Kubernetes;

namespace Strata.Core.Backup;

/// <summary>Turns discovery and a scope into a <see cref="CapturePlan"/>.</summary>
public static class CapturePlanner
{
    /// <summary>Plans the capture.</summary>
    public static CapturePlan Plan(DiscoveryResult discovery, BackupScope scope)
    {
        var planned = new List<PlannedResource>();
        var skipped = new List<SkippedResource>();
        var takeAllClusterScoped = scope.ClusterResources == ClusterResourcesMode.Include
            || (scope.ClusterResources == ClusterResourcesMode.Auto && scope.AllNamespaces);

        foreach (var resource in discovery.PreferredResources.OrderBy(r => r.Group, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal))
        {
            var name = resource.QualifiedName;
            if (!resource.Supports("list"))
            {
                skipped.Add(new(name, "the server does not support list on it"));
                continue;
            }

            if (scope.ExcludeResources.Any(resource.IsNamedBy))
            {
                skipped.Add(new(name, "excluded by --exclude-resources"));
                continue;
            }

            var named = scope.IncludeResources.Any(n => n != "*" && resource.IsNamedBy(n));
            var included = scope.IncludeResources.Count == 0 || scope.IncludeResources.Contains("*") || named;
            var exclusion = named ? null : DefaultExclusions.For(resource);
            var dependencyTarget = ClusterDependencies.Targets.Contains((resource.Group, resource.Name));

            if (resource.Namespaced)
            {
                if (!included)
                {
                    skipped.Add(new(name, "not in --include-resources"));
                }
                else if (exclusion is not null)
                {
                    skipped.Add(new(name, $"left out by default: {exclusion.Reason}"));
                }
                else
                {
                    planned.Add(new(resource, CaptureMode.Namespaced));
                }

                continue;
            }

            if (scope.ClusterResources == ClusterResourcesMode.Exclude)
            {
                skipped.Add(new(name, "cluster-scoped resources are excluded (--include-cluster-resources false)"));
            }
            else if (dependencyTarget)
            {
                planned.Add(new(resource, takeAllClusterScoped && included ? CaptureMode.FullAndNeeded : CaptureMode.Needed));
            }
            else if (!takeAllClusterScoped)
            {
                skipped.Add(new(name, "cluster-scoped and not needed by the captured objects (--include-cluster-resources auto)"));
            }
            else if (!included)
            {
                skipped.Add(new(name, "not in --include-resources"));
            }
            else if (exclusion is not null)
            {
                skipped.Add(new(name, $"left out by default: {exclusion.Reason}"));
            }
            else
            {
                planned.Add(new(resource, CaptureMode.Full));
            }
        }

        return new CapturePlan(planned, skipped);
    }
}
