using Strata.Core.Artifacts;
using Strata.Core.Kubernetes;

namespace Strata.Core.Restore;

/// <summary>A resource type as the backup holds it (from the archive's paths and documents).</summary>
/// <param name="Group">API group; empty for the core group.</param>
/// <param name="Version">The version the objects were stored in.</param>
/// <param name="Resource">Plural name.</param>
/// <param name="Namespaced">Whether its objects live in namespaces.</param>
public sealed record SourceType(string Group, string Version, string Resource, bool Namespaced)
{
    /// <summary>The type of an archive entry.</summary>
    public static SourceType Of(ResourceEntryPath path) => new(path.Group, path.Version, path.Resource, path.Namespace is not null);

    /// <summary>E.g. <c>deployments.apps</c>.</summary>
    public string QualifiedName => Group.Length == 0 ? Resource : $"{Resource}.{Group}";

    /// <summary>E.g. <c>apps/v1</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>
    /// The type as an <see cref="ApiResource"/> (for selectors and dependency rules), with the
    /// names the target's discovery knows it by when it serves the same group and resource.
    /// </summary>
    public ApiResource ToApiResource(string kind, DiscoveryResult? target)
    {
        var served = target?.Resources.FirstOrDefault(r => r.Group == Group && r.Name == Resource && !r.IsSubresource);
        return new ApiResource(Group, Version, Resource, kind, Namespaced, ["create"])
        {
            SingularName = served?.SingularName,
            ShortNames = served?.ShortNames ?? [],
        };
    }

    /// <inheritdoc />
    public override string ToString() => $"{QualifiedName} ({ApiVersion})";
}
