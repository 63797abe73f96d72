using System.Text.Json.Nodes;

namespace Strata.Core.Kubernetes;

/// <summary>
/// A Kubernetes object as the API returned it: the JSON document, with typed access to the
/// metadata Strata reasons about. Everything else is kept exactly as served.
/// </summary>
public sealed class KubeObject
{
    /// <summary>Wraps <paramref name="json"/>; the object is not copied.</summary>
    public KubeObject(JsonObject json) => Json = json;

    /// <summary>The whole document.</summary>
    public JsonObject Json { get; }

    /// <summary><c>apiVersion</c>, e.g. <c>apps/v1</c>.</summary>
    public string ApiVersion
    {
        get => GetString(Json, "apiVersion") ?? string.Empty;
        set => Json["apiVersion"] = value;
    }

    /// <summary><c>kind</c>, e.g. <c>Deployment</c>.</summary>
    public string Kind
    {
        get => GetString(Json, "kind") ?? string.Empty;
        set => Json["kind"] = value;
    }

    /// <summary><c>metadata</c>; created when missing.</summary>
    public JsonObject Metadata => Json["metadata"] as JsonObject ?? (JsonObject)(Json["metadata"] = new JsonObject());

    /// <summary><c>metadata.name</c>.</summary>
    public string Name => GetString(Metadata, "name") ?? string.Empty;

    /// <summary><c>metadata.namespace</c>, or null for cluster-scoped objects.</summary>
    public string? Namespace => GetString(Metadata, "namespace") is { Length: > 0 } ns ? ns : null;

    /// <summary><c>metadata.uid</c>.</summary>
    public string? Uid => GetString(Metadata, "uid");

    /// <summary>A label's value, or null.</summary>
    public string? Label(string key) => Metadata["labels"] is JsonObject labels ? GetString(labels, key) : null;

    /// <summary><c>metadata.labels</c> as a dictionary (empty when there are none).</summary>
    public IReadOnlyDictionary<string, string> Labels
    {
        get
        {
            if (Metadata["labels"] is not JsonObject labels || labels.Count == 0)
            {
                return EmptyLabels;
            }

            var result = new Dictionary<string, string>(labels.Count, StringComparer.Ordinal);
            foreach (var (key, value) in labels)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    result[key] = s;
                }
            }

            return result;
        }
    }

    /// <summary>An annotation's value, or null.</summary>
    public string? Annotation(string key) =>
        Metadata["annotations"] is JsonObject annotations ? GetString(annotations, key) : null;

    /// <summary>The owner reference marked <c>controller: true</c>, if any.</summary>
    public OwnerReference? ControllerOwner
    {
        get
        {
            if (Metadata["ownerReferences"] is not JsonArray owners)
            {
                return null;
            }

            foreach (var owner in owners.OfType<JsonObject>())
            {
                if (owner["controller"] is JsonValue v && v.TryGetValue<bool>(out var isController) && isController)
                {
                    return new OwnerReference(
                        GetString(owner, "apiVersion") ?? string.Empty,
                        GetString(owner, "kind") ?? string.Empty,
                        GetString(owner, "name") ?? string.Empty);
                }
            }

            return null;
        }
    }

    /// <summary>Reads a string at a dotted path such as <c>spec.volumeName</c>; null when absent.</summary>
    public string? GetString(string path)
    {
        JsonNode? node = Json;
        foreach (var segment in path.Split('.'))
        {
            node = (node as JsonObject)?[segment];
            if (node is null)
            {
                return null;
            }
        }

        return node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
    }

    /// <summary><c>namespace/name</c> or <c>name</c>: unique within one resource type.</summary>
    public string Key => Namespace is { } ns ? $"{ns}/{Name}" : Name;

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {Key}";

    private static readonly Dictionary<string, string> EmptyLabels = new(StringComparer.Ordinal);

    private static string? GetString(JsonObject obj, string property) =>
        obj[property] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
}
