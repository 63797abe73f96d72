using System.Text.Json.Nodes;

namespace Strata.Sandbox.Http;

/// <summary>
/// One node of a CRD version's <c>openAPIV3Schema</c>, read once when the CRD is registered (immutable, so writes on
/// any thread share it): the parts apiextensions-apiserver prunes and validates custom resources by. What it does not
/// read — <c>pattern</c>, lengths, <c>minimum</c>, <c>default</c> — is not enforced. Pruning is <see cref="Prune"/>,
/// validation <see cref="Validate"/>, and the CEL rules (<c>x-kubernetes-validations</c>) <see cref="ValidateRules"/>:
/// those in the subset <see cref="CelParser"/> reads — every rule of the published snapshot CRDs — are enforced; any
/// other is ignored, not enforced, and listed by <see cref="UnsupportedRules"/>.
/// </summary>
internal sealed partial record StructuralSchema
{
    private static readonly StructuralSchema PreserveAll = new() { PreservesUnknownFields = true };

    /// <summary><c>object</c>, <c>array</c>, <c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c>; null: any.</summary>
    public string? Type { get; init; }

    /// <summary><c>x-kubernetes-int-or-string</c>: an integer or a string (a quantity, a port).</summary>
    public bool IntOrString { get; init; }

    /// <summary><c>x-kubernetes-preserve-unknown-fields</c>: fields the schema does not name are kept.</summary>
    public bool PreservesUnknownFields { get; init; }

    /// <summary><c>x-kubernetes-embedded-resource</c>: an object with its own apiVersion, kind and metadata.</summary>
    public bool EmbeddedResource { get; init; }

    /// <summary><c>nullable</c>: a null is kept (otherwise it is dropped, as a field that was not sent).</summary>
    public bool Nullable { get; init; }

    public string? Format { get; init; }

    public IReadOnlyDictionary<string, StructuralSchema> Properties { get; init; } = new Dictionary<string, StructuralSchema>();

    /// <summary>The schema of every value of a map (<c>additionalProperties</c>).</summary>
    public StructuralSchema? AdditionalProperties { get; init; }

    public StructuralSchema? Items { get; init; }

    public IReadOnlyList<string> Required { get; init; } = [];

    /// <summary>The allowed values, as JSON text; null: any.</summary>
    public IReadOnlyList<string>? Enum { get; init; }

    /// <summary>The node's CEL rules (<c>x-kubernetes-validations</c>), in order.</summary>
    public IReadOnlyList<CelRule> Rules { get; init; } = [];

    /// <summary>The schema of each served version of a CRD that has one.</summary>
    public static IReadOnlyDictionary<string, StructuralSchema> OfVersions(JsonObject crd)
    {
        var schemas = new Dictionary<string, StructuralSchema>(StringComparer.Ordinal);
        foreach (var version in (crd["spec"]?["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (version["name"]?.GetValue<string>() is { } name && version["schema"]?["openAPIV3Schema"] is JsonObject schema)
            {
                schemas[name] = From(schema);
            }
        }

        return schemas;
    }

    public static StructuralSchema From(JsonObject schema) => new()
    {
        Type = schema["type"]?.GetValue<string>(),
        IntOrString = Flag(schema, "x-kubernetes-int-or-string"),
        PreservesUnknownFields = Flag(schema, "x-kubernetes-preserve-unknown-fields"),
        EmbeddedResource = Flag(schema, "x-kubernetes-embedded-resource"),
        Nullable = Flag(schema, "nullable"),
        Format = schema["format"]?.GetValue<string>(),
        Properties = (schema["properties"] as JsonObject)?
            .Where(p => p.Value is JsonObject)
            .ToDictionary(p => p.Key, p => From(p.Value!.AsObject()), StringComparer.Ordinal) ?? [],
        AdditionalProperties = schema["additionalProperties"] switch
        {
            JsonObject values => From(values),
            JsonValue allowed when allowed.GetValue<bool>() => PreserveAll,
            _ => null,
        },
        Items = schema["items"] as JsonObject is { } items ? From(items) : null,
        Required = (schema["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).ToList() ?? [],
        Enum = (schema["enum"] as JsonArray)?.Select(e => e?.ToJsonString() ?? "null").ToList(),
        Rules = (schema["x-kubernetes-validations"] as JsonArray)?.OfType<JsonObject>().Select(CelRule.From).ToList() ?? [],
    };

    private static bool Flag(JsonObject schema, string name) => schema[name] is JsonValue value && value.GetValue<bool>();
}
