using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Strata.Adapters.Kubernetes;

/// <summary>A list response, as <c>{kind, apiVersion, metadata: {continue, resourceVersion}, items}</c>; items stay raw JSON.</summary>
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

/// <summary>The list's <c>metadata</c>.</summary>
internal sealed class ListMeta
{
    [JsonPropertyName("continue")]
    public string? Continue { get; set; }

    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; set; }
}

// The API server nests as deep as a CRD's schema goes (kubectl reads any depth): 64, the serializer's default, is
// reached by a schema of some thirty nested properties. 258 = the 256 the archive reader accepts (ArchiveLimits.MaxJsonDepth) + the page and its items array, so what capture takes, restore reads.
[JsonSourceGenerationOptions(MaxDepth = 258)]
[JsonSerializable(typeof(KubeListPage))]
internal sealed partial class ListPageJson : JsonSerializerContext;
