namespace Strata.Core.Kubernetes;

/// <summary>
/// One resource type a cluster serves, as discovery describes it (an entry of an
/// <c>APIResourceList</c>), in one group/version.
/// </summary>
/// <param name="Group">API group; empty for the core group.</param>
/// <param name="Version">Version within the group, e.g. <c>v1</c>.</param>
/// <param name="Name">Plural resource name used in URLs, e.g. <c>deployments</c>; subresources contain a slash.</param>
/// <param name="Kind">Kind of the objects, e.g. <c>Deployment</c>.</param>
/// <param name="Namespaced">Whether objects live in a namespace.</param>
/// <param name="Verbs">Verbs the server supports on the resource.</param>
/// <param name="IsPreferredVersion">Whether <paramref name="Version"/> is the group's preferred version.</param>
public sealed record ApiResource(
    string Group,
    string Version,
    string Name,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> Verbs,
    bool IsPreferredVersion = true)
{
    /// <summary>Singular name, e.g. <c>deployment</c>, where discovery reports one.</summary>
    public string? SingularName { get; init; }

    /// <summary>Short names, e.g. <c>deploy</c>.</summary>
    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>
    /// Whether <paramref name="text"/> names this resource the way kubectl accepts it: plural,
    /// singular, short name or kind, optionally qualified by group (<c>deployments.apps</c>).
    /// </summary>
    public bool IsNamedBy(string text)
    {
        var name = text.Trim();
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            return string.Equals(name[(dot + 1)..], Group, StringComparison.OrdinalIgnoreCase) && IsNamedBy(name[..dot]);
        }

        return string.Equals(name, Name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, SingularName, StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, Kind, StringComparison.OrdinalIgnoreCase)
            || ShortNames.Contains(name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary><c>v1</c> for the core group, <c>apps/v1</c> otherwise.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The group-qualified name kubectl accepts, e.g. <c>deployments.apps</c> or <c>configmaps</c>.</summary>
    public string QualifiedName => Group.Length == 0 ? Name : $"{Name}.{Group}";

    /// <summary>True for subresources such as <c>pods/log</c> or <c>deployments/scale</c>.</summary>
    public bool IsSubresource => Name.Contains('/', StringComparison.Ordinal);

    /// <summary>Whether the server allows <paramref name="verb"/> on this resource.</summary>
    public bool Supports(string verb) => Verbs.Contains(verb, StringComparer.Ordinal);

    /// <inheritdoc />
    public override string ToString() => $"{QualifiedName} ({ApiVersion})";
}
