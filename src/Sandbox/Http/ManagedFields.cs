using System.Text.Json.Nodes;

namespace Strata.Sandbox.Http;

/// <summary>
/// <c>metadata.managedFields</c> entries in the FieldsV1 shape the server writes: every field
/// the manager set, as <c>f:name</c> keys (list items are not itemised here, as they are by
/// key on a real server: the shape is what matters to a backup, not the detail).
/// </summary>
internal static class ManagedFields
{
    private static readonly HashSet<string> ServerOwnedMetadata =
        ["name", "namespace", "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink"];

    public static JsonObject Entry(JsonObject obj, string manager, string operation, string apiVersion, string time) => new()
    {
        ["manager"] = manager,
        ["operation"] = operation,
        ["apiVersion"] = apiVersion,
        ["time"] = time,
        ["fieldsType"] = "FieldsV1",
        ["fieldsV1"] = Fields(obj, topLevel: true),
    };

    /// <summary>
    /// The entries after a write to the resource: the writer's entry replaces the others for the
    /// resource (a simplification), and the entries of subresource writers are kept.
    /// </summary>
    public static JsonArray WithEntry(JsonArray? current, JsonObject obj, string manager, string apiVersion, string time)
    {
        var entries = new JsonArray(Entry(obj, manager, "Update", apiVersion, time));
        foreach (var kept in current?.OfType<JsonObject>().Where(e => e["subresource"] is not null) ?? [])
        {
            entries.Add(kept.DeepClone());
        }

        return entries;
    }

    /// <summary>The entries after a write through a subresource: the writer's entry for it, with <c>subresource</c> set, replaces its last one.</summary>
    public static JsonArray WithSubresourceEntry(JsonArray? current, JsonObject obj, string manager, string apiVersion, string time, string subresource)
    {
        var entries = new JsonArray();
        foreach (var kept in current?.OfType<JsonObject>() ?? [])
        {
            if (kept["manager"]?.GetValue<string>() != manager || kept["subresource"]?.GetValue<string>() != subresource)
            {
                entries.Add(kept.DeepClone());
            }
        }

        var owned = subresource == "status" && obj["status"] is JsonObject status
            ? new JsonObject { ["f:status"] = Fields(status, topLevel: false) }
            : subresource == "finalize" ? new JsonObject { ["f:spec"] = new JsonObject { ["f:finalizers"] = new JsonObject() } } : new JsonObject();
        entries.Add(new JsonObject
        {
            ["manager"] = manager,
            ["operation"] = "Update",
            ["apiVersion"] = apiVersion,
            ["time"] = time,
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = owned,
            ["subresource"] = subresource,
        });
        return entries;
    }

    private static JsonObject Fields(JsonObject obj, bool topLevel)
    {
        var fields = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (topLevel && key is "apiVersion" or "kind" or "status")
            {
                continue;
            }

            if (topLevel && key == "metadata" && value is JsonObject metadata)
            {
                var kept = new JsonObject();
                foreach (var (mk, mv) in metadata)
                {
                    if (!ServerOwnedMetadata.Contains(mk))
                    {
                        kept[mk] = mv?.DeepClone();
                    }
                }

                if (kept.Count > 0)
                {
                    fields["f:metadata"] = Fields(kept, topLevel: false);
                }

                continue;
            }

            fields["f:" + key] = value is JsonObject child ? Fields(child, topLevel: false) : new JsonObject();
        }

        return fields;
    }
}
