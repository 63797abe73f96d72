using Strata.Core.Kubernetes;

namespace Strata.Core.Restore;

/// <summary>
/// Matches backed-up resource types to what the target serves: the same group, version and
/// resource; else the same group and resource in the version the target prefers (said so); else
/// unsupported, reported per object.
/// </summary>
internal static class TargetTypes
{
    public static TypeResolution Resolve(SourceType source, DiscoveryResult target)
    {
        var candidates = target.Resources
            .Where(r => !r.IsSubresource && r.Group == source.Group && r.Name == source.Resource && r.Supports("create"))
            .ToList();
        if (candidates.FirstOrDefault(r => r.Version == source.Version) is { } exact)
        {
            return new TypeResolution(exact, null);
        }

        if ((candidates.FirstOrDefault(r => r.IsPreferredVersion) ?? candidates.FirstOrDefault()) is { } other)
        {
            return new TypeResolution(other,
                $"the target does not serve {source.ApiVersion} {source.Resource}; restored as {other.ApiVersion}, the version it serves");
        }

        var why = target.Resources.Any(r => r.Group == source.Group && r.Name == source.Resource)
            ? $"the target does not allow creating {source.QualifiedName}"
            : RestoreOrder.IsBuiltInGroup(source.Group)
                ? $"the target does not serve {source.QualifiedName} in any version (removed from its Kubernetes version?)"
                : $"the target does not serve {source.QualifiedName} (its CustomResourceDefinition is not installed)";
        return new TypeResolution(null, why);
    }
}
