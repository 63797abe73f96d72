using System.Text.Json.Nodes;

namespace Strata.Sandbox;

/// <summary>
/// An object as a rule of the sandbox sees it (which workload never becomes ready, which claim
/// never binds, what admission refuses): its identity, its labels and its JSON (a copy).
/// </summary>
public sealed record SandboxObject(string ApiVersion, string Kind, string? Namespace, string Name, IReadOnlyDictionary<string, string> Labels, JsonObject Json)
{
    /// <summary>
    /// A string (or number, or boolean, as text) at a dotted path, list items by index:
    /// <c>spec.storageClassName</c>, <c>spec.template.spec.containers.0.image</c>; null when absent.
    /// </summary>
    public string? Field(string path)
    {
        JsonNode? node = Json;
        foreach (var segment in path.Split('.'))
        {
            node = node switch
            {
                JsonObject o => o[segment],
                JsonArray a when int.TryParse(segment, out var i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            };
        }

        return node is JsonValue value ? value.ToString() : null;
    }

    internal static SandboxObject From(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        var metadata = copy["metadata"] as JsonObject;
        var labels = (metadata?["labels"] as JsonObject)?.ToDictionary(l => l.Key, l => l.Value?.ToString() ?? string.Empty, StringComparer.Ordinal)
            ?? [];
        return new SandboxObject(
            copy["apiVersion"]?.GetValue<string>() ?? string.Empty,
            copy["kind"]?.GetValue<string>() ?? string.Empty,
            metadata?["namespace"]?.GetValue<string>(),
            metadata?["name"]?.GetValue<string>() ?? string.Empty,
            labels,
            copy);
    }
}
