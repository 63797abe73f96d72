using Strata.Sandbox.Http;

namespace Strata.Sandbox.Storage;

/// <summary>A resource type the sandbox serves, in one or more versions of its group.</summary>
public sealed record ResourceType
{
    public required string Group { get; init; }

    /// <summary>Served versions, preferred first.</summary>
    public required IReadOnlyList<string> Versions { get; init; }

    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required string Kind { get; init; }

    public required bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Verbs { get; init; } = StandardVerbs;

    /// <summary>Subresources served, e.g. <c>status</c>, <c>scale</c>, <c>log</c>.</summary>
    public IReadOnlyList<string> Subresources { get; init; } = [];

    /// <summary>Defined by a CustomResourceDefinition (list items carry apiVersion and kind).</summary>
    public bool IsCustom { get; init; }

    /// <summary>Objects get <c>metadata.generation</c>, bumped on spec changes.</summary>
    public bool HasGeneration { get; init; }

    /// <summary>
    /// A delete answers with the deleted object rather than a <c>Status</c>, as kube-apiserver's
    /// stores with <c>ReturnDeletedObject: true</c> do (pods, service accounts, volumes, claims,
    /// storage classes, namespaces); typed clients expect that object.
    /// </summary>
    public bool ReturnsDeletedObject { get; init; }

    /// <summary>A custom resource's schema per version (from its CRD), which writes are pruned and validated by.</summary>
    internal IReadOnlyDictionary<string, StructuralSchema> Schemas { get; init; } = new Dictionary<string, StructuralSchema>();

    public string Key => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ListKind => Kind + "List";

    public static IReadOnlyList<string> StandardVerbs { get; } = ["create", "delete", "deletecollection", "get", "list", "patch", "update"];

    public static string GroupVersion(string group, string version) => group.Length == 0 ? version : $"{group}/{version}";
}
