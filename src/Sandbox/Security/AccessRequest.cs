namespace Strata.Sandbox.Security;

/// <summary>
/// What a request asks to do, as kube-apiserver's authorizer attributes describe it: a verb on a resource
/// (group, resource, subresource, namespace, name) or, for a non-resource request (discovery,
/// <c>/version</c>), a verb on a path.
/// </summary>
public sealed record AccessRequest(string Verb, string Group, string Resource, string? Subresource, string? Namespace, string? Name)
{
    /// <summary>The path of a non-resource request; null for a resource request.</summary>
    public string? Path { get; init; }

    /// <summary>Whether this asks for a resource (rather than a path).</summary>
    public bool IsResourceRequest => Path is null;

    /// <summary><c>resource</c>, or <c>resource/subresource</c> — what an RBAC rule's <c>resources</c> name.</summary>
    public string CombinedResource => Subresource is null ? Resource : $"{Resource}/{Subresource}";

    /// <summary>A non-resource request: <paramref name="verb"/> is the lower-cased HTTP method.</summary>
    public static AccessRequest ForPath(string verb, string path) => new(verb, string.Empty, string.Empty, null, null, null) { Path = path };

    /// <inheritdoc />
    public override string ToString() => IsResourceRequest
        ? $"{Verb} {CombinedResource}{(Group.Length == 0 ? "" : "." + Group)}{(Namespace is null ? "" : " in " + Namespace)}{(Name is null ? "" : " " + Name)}"
        : $"{Verb} {Path}";
}
