using System.Text.Json.Nodes;

namespace Strata.Sandbox.Http;

/// <summary>Pruning, as apiextensions-apiserver does it when it decodes a custom resource.</summary>
internal sealed partial record StructuralSchema
{
    private static readonly string[] TypeAndObjectMeta = ["apiVersion", "kind", "metadata"];

    /// <summary>
    /// Drops what the schema does not allow, before anything else sees the object (so it is never stored, nor listed in
    /// managedFields): fields a node neither names nor preserves, and nulls of fields that are not nullable. The root's
    /// apiVersion, kind and metadata stay, as an embedded resource's do.
    /// </summary>
    public void Prune(JsonObject obj) => PruneObject(obj, this, keepTypeAndMetadata: true);

    private static void PruneObject(JsonObject obj, StructuralSchema schema, bool keepTypeAndMetadata)
    {
        foreach (var (key, value) in obj.ToList())
        {
            if (keepTypeAndMetadata && TypeAndObjectMeta.Contains(key))
            {
                continue;
            }

            var field = schema.Properties.GetValueOrDefault(key) ?? schema.AdditionalProperties;
            if (field is null)
            {
                if (!schema.PreservesUnknownFields)
                {
                    obj.Remove(key);
                }

                continue;
            }

            if (value is null && !field.Nullable)
            {
                obj.Remove(key);
                continue;
            }

            PruneValue(value, field);
        }
    }

    private static void PruneValue(JsonNode? value, StructuralSchema schema)
    {
        switch (value)
        {
            case JsonObject nested:
                PruneObject(nested, schema, schema.EmbeddedResource);
                break;
            case JsonArray list when schema.Items is { } items:
                foreach (var item in list)
                {
                    PruneValue(item, items);
                }

                break;
        }
    }
}
