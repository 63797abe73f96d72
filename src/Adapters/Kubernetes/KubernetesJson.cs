using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Strata.Adapters.Kubernetes;

/// <summary>A list response, as <c>{kind, apiVersion, metadata: {continue, resourceVersion}, items}</c>.</summary>
internal sealed class KubeListPage
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("metadata")]
    public ListMeta? Metadata { get; set; }

    [JsonPropertyName("items")]
    public List<JsonObject?>? Items { get; set; }
}

internal sealed class ListMeta
{
    [JsonPropertyName("continue")]
    public string? Continue { get; set; }

    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; set; }
}

internal sealed class ApiResourceListDocument
{
    [JsonPropertyName("groupVersion")]
    public string? GroupVersion { get; set; }

    [JsonPropertyName("resources")]
    public List<ApiResourceDocument>? Resources { get; set; }
}

internal sealed class ApiResourceDocument
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("singularName")]
    public string? SingularName { get; set; }

    [JsonPropertyName("namespaced")]
    public bool Namespaced { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("verbs")]
    public List<string>? Verbs { get; set; }

    [JsonPropertyName("shortNames")]
    public List<string>? ShortNames { get; set; }
}

internal sealed class ApiGroupListDocument
{
    [JsonPropertyName("groups")]
    public List<ApiGroupDocument>? Groups { get; set; }
}

internal sealed class ApiGroupDocument
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("versions")]
    public List<GroupVersionDocument>? Versions { get; set; }

    [JsonPropertyName("preferredVersion")]
    public GroupVersionDocument? PreferredVersion { get; set; }
}

internal sealed class GroupVersionDocument
{
    [JsonPropertyName("groupVersion")]
    public string? GroupVersion { get; set; }

    [JsonPropertyName("version")]
    public string? Version { get; set; }
}

internal sealed class ApiVersionsDocument
{
    [JsonPropertyName("versions")]
    public List<string>? Versions { get; set; }
}

internal sealed class VersionDocument
{
    [JsonPropertyName("gitVersion")]
    public string? GitVersion { get; set; }

    [JsonPropertyName("platform")]
    public string? Platform { get; set; }
}

[JsonSerializable(typeof(KubeListPage))]
[JsonSerializable(typeof(ApiResourceListDocument))]
[JsonSerializable(typeof(ApiGroupListDocument))]
[JsonSerializable(typeof(ApiVersionsDocument))]
[JsonSerializable(typeof(VersionDocument))]
internal sealed partial class KubernetesJson : JsonSerializerContext;
