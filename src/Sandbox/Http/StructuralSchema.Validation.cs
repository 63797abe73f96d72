using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Strata.Sandbox.Http;

/// <summary>
/// Validation of a (pruned) custom resource, with the errors apiextensions-apiserver makes of kube-openapi's:
/// <c>FieldValueRequired</c>, <c>FieldValueTypeInvalid</c> (<c>spec.replicas in body must be of type integer: "string"</c>)
/// and <c>FieldValueNotSupported</c> for an enum.
/// </summary>
internal sealed partial record StructuralSchema
{
    public IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errors = new List<FieldError>();
        ValidateObject(obj, this, string.Empty, errors, root: true);
        return errors;
    }

    private static void ValidateValue(JsonNode? value, StructuralSchema schema, string path, List<FieldError> errors)
    {
        if (value is null && schema.Nullable)
        {
            return;
        }

        var kind = KindOf(value);
        if (schema.IntOrString ? kind is not ("integer" or "string") : schema.Type is { } type && !Matches(type, kind))
        {
            var expected = schema.IntOrString ? "integer,string" : schema.Type;
            errors.Add(FieldError.TypeInvalid(path, $"\"{kind}\"", $"{path} in body must be of type {expected}: \"{kind}\""));
            return;
        }

        if (schema.Enum is { } allowed && !allowed.Contains(value?.ToJsonString() ?? "null"))
        {
            errors.Add(new FieldError("FieldValueNotSupported", path,
                $"Unsupported value: {GoValue(value)}: supported values: {string.Join(", ", allowed)}"));
        }

        if (schema.Format == "date-time" && value is JsonValue text && kind == "string" && !IsDateTime(text.GetValue<string>()))
        {
            var quoted = GoValue(value);
            errors.Add(FieldError.TypeInvalid(path, quoted, $"{path} in body must be of type date-time: {quoted}"));
        }

        switch (value)
        {
            case JsonObject nested:
                ValidateObject(nested, schema, path, errors, root: false);
                break;
            case JsonArray list when schema.Items is { } items:
                for (var i = 0; i < list.Count; i++)
                {
                    ValidateValue(list[i], items, $"{path}[{i}]", errors);
                }

                break;
        }
    }

    private static void ValidateObject(JsonObject obj, StructuralSchema schema, string path, List<FieldError> errors, bool root)
    {
        foreach (var required in schema.Required.Where(r => obj[r] is null))
        {
            errors.Add(FieldError.Required(Join(path, required)));
        }

        foreach (var (key, value) in obj)
        {
            if ((root || schema.EmbeddedResource) && key == "metadata")
            {
                continue; // ObjectMeta is the server's, validated as every object's is
            }

            if (schema.Properties.GetValueOrDefault(key) is { } field)
            {
                ValidateValue(value, field, Join(path, key), errors);
            }
            else if (schema.AdditionalProperties is { } values)
            {
                ValidateValue(value, values, path.Length == 0 ? key : $"{path}[{key}]", errors);
            }
        }
    }

    private static string Join(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";

    private static string KindOf(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        _ => value.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => IsWhole(value.AsValue()) ? "integer" : "number",
            _ => "null",
        },
    };

    /// <summary>An integer is a number too; a whole number written as <c>5.0</c> is an integer, as go-openapi reads it.</summary>
    private static bool Matches(string type, string kind) => type == kind || (type == "number" && kind == "integer");

    private static bool IsWhole(JsonValue number) =>
        double.TryParse(number.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && Math.Floor(d) == d && !double.IsInfinity(d);

    /// <summary>RFC 3339, as strfmt's date-time accepts it.</summary>
    private static bool IsDateTime(string text) =>
        text.Contains('T', StringComparison.OrdinalIgnoreCase)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);

    /// <summary>A bad value as Go's <c>%#v</c> prints it: strings quoted, the rest as JSON.</summary>
    private static string GoValue(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? JsonSerializer.Serialize(v.GetValue<string>()) : value?.ToJsonString() ?? "null";
}
