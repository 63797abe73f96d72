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
