using System.Text.Json.Nodes;

namespace Strata.Core.Restore;

/// <summary>
/// Restores namespaces under other names (<c>shop:shop-restored</c>). Besides
/// <c>metadata.namespace</c>, it rewrites the references that point inside the mapped set:
/// <list type="bullet">
/// <item>Namespace objects: their name and their <c>kubernetes.io/metadata.name</c> label;</item>
/// <item>RoleBinding and ClusterRoleBinding <c>subjects[].namespace</c>;</item>
/// <item>PersistentVolume <c>spec.claimRef.namespace</c>;</item>
/// <item><c>namespaceSelector</c> terms on <c>kubernetes.io/metadata.name</c> (NetworkPolicy peers,
/// Pod affinity terms, webhook configurations), in <c>matchLabels</c> and <c>matchExpressions</c>;</item>
/// <item>the <c>namespaces</c> list of Pod affinity terms (wherever a <c>topologyKey</c> sits beside it);</item>
/// <item><c>service.namespace</c> wherever a service is referenced by name and namespace (webhook
/// client configs, APIServices, CRD conversion webhooks);</item>
/// <item>ExternalName Services whose <c>externalName</c> is a cluster DNS name (<c>db.shop.svc…</c>).</item>
/// </list>
/// </summary>
public sealed class NamespaceMapping
{
    /// <summary>The label the API server sets on every Namespace to its name.</summary>
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    private readonly Dictionary<string, string> _map;

    private NamespaceMapping(Dictionary<string, string> map) => _map = map;

    /// <summary>No mapping.</summary>
    public static NamespaceMapping None { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>Source → target, as given.</summary>
    public IReadOnlyDictionary<string, string> Pairs => _map;

    /// <summary>Whether any namespace is mapped.</summary>
    public bool IsEmpty => _map.Count == 0;

    /// <summary>Parses <c>src:dst,src2:dst2</c>; false with the reason when malformed.</summary>
    public static bool TryParse(IEnumerable<string> pairs, out NamespaceMapping mapping, out string? error)
    {
        mapping = None;
        error = null;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var parts = pair.Split(':');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                error = $"'{pair}' is not source:target";
                return false;
            }

            foreach (var ns in parts)
            {
                if (!IsNamespaceName(ns))
                {
                    error = $"'{ns}' in '{pair}' is not a valid namespace name (lowercase letters, digits and '-', at most 63)";
                    return false;
                }
            }

            if (map.TryGetValue(parts[0], out var earlier) && earlier != parts[1])
            {
                error = $"'{parts[0]}' is mapped twice (to '{earlier}' and '{parts[1]}')";
                return false;
            }

            map[parts[0]] = parts[1];
        }

        foreach (var group in map.GroupBy(p => p.Value).Where(g => g.Count() > 1))
        {
            error = $"'{string.Join("' and '", group.Select(p => p.Key))}' are both mapped to '{group.Key}'";
            return false;
        }

        mapping = new NamespaceMapping(map);
        return true;
    }

    /// <summary>The target namespace of <paramref name="ns"/>.</summary>
    public string Map(string ns) => _map.GetValueOrDefault(ns, ns);

    /// <summary>Rewrites the namespace references of <paramref name="doc"/>, an object of <paramref name="qualifiedResource"/>.</summary>
    public void Rewrite(string qualifiedResource, JsonObject doc)
    {
        if (IsEmpty)
        {
            return;
        }

        var metadata = doc["metadata"] as JsonObject;
        if (metadata?["namespace"] is JsonValue ns && ns.TryGetValue<string>(out var source))
        {
            metadata["namespace"] = Map(source);
        }

        switch (qualifiedResource)
        {
            case "namespaces" when (metadata?["name"]) is JsonValue n && n.TryGetValue<string>(out var name) && _map.TryGetValue(name, out var renamed):
                metadata["name"] = renamed;
                if (metadata["labels"] is JsonObject labels && labels.ContainsKey(NamespaceNameLabel))
                {
                    labels[NamespaceNameLabel] = renamed;
                }

                break;
            case "rolebindings.rbac.authorization.k8s.io" or "clusterrolebindings.rbac.authorization.k8s.io":
                foreach (var subject in (doc["subjects"] as JsonArray)?.OfType<JsonObject>() ?? [])
                {
                    MapProperty(subject, "namespace");
                }

                break;
            case "persistentvolumes":
                MapProperty((doc["spec"] as JsonObject)?["claimRef"] as JsonObject, "namespace");
                break;
            case "services":
                MapExternalName(doc["spec"] as JsonObject);
                break;
        }

        if (doc["spec"] is JsonNode spec)
        {
            RewriteReferences(spec);
        }

        if (doc["webhooks"] is JsonNode webhooks)
        {
            RewriteReferences(webhooks);
        }
    }

    private void RewriteReferences(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["namespaceSelector"] is JsonObject selector)
                {
                    MapSelector(selector);
                }

                if (obj["service"] is JsonObject service && service["name"] is JsonValue)
                {
                    MapProperty(service, "namespace");
                }

                if (obj["namespaces"] is JsonArray namespaces && obj.ContainsKey("topologyKey"))
                {
                    MapValues(namespaces);
                }

                foreach (var (_, child) in obj)
                {
                    if (child is JsonObject or JsonArray)
                    {
                        RewriteReferences(child);
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is JsonObject or JsonArray)
                    {
                        RewriteReferences(child);
                    }
                }

                break;
        }
    }

    private void MapSelector(JsonObject selector)
    {
        if (selector["matchLabels"] is JsonObject labels)
        {
            MapProperty(labels, NamespaceNameLabel);
        }

        foreach (var expression in (selector["matchExpressions"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (expression["key"] is JsonValue key && key.TryGetValue<string>(out var k) && k == NamespaceNameLabel
                && expression["values"] is JsonArray values)
            {
                MapValues(values);
            }
        }
    }

    private void MapExternalName(JsonObject? spec)
    {
        // <service>.<namespace>.svc[.<cluster domain>]
        if (spec?["externalName"] is JsonValue value && value.TryGetValue<string>(out var host))
        {
            var labels = host.TrimEnd('.').Split('.');
            if (labels.Length >= 3 && labels[2] == "svc" && _map.TryGetValue(labels[1], out var target))
            {
                labels[1] = target;
                spec["externalName"] = string.Join('.', labels) + (host.EndsWith('.') ? "." : string.Empty);
            }
        }
    }

    private void MapProperty(JsonObject? obj, string property)
    {
        if (obj?[property] is JsonValue value && value.TryGetValue<string>(out var ns) && _map.TryGetValue(ns, out var target))
        {
            obj[property] = target;
        }
    }

    private void MapValues(JsonArray values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is JsonValue value && value.TryGetValue<string>(out var ns) && _map.TryGetValue(ns, out var target))
            {
                values[i] = target;
            }
        }
    }

    private static bool IsNamespaceName(string name) =>
        name.Length is > 0 and <= 63
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && name[0] != '-' && name[^1] != '-';
}
