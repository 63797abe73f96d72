using System.Text.Json.Nodes;

namespace Strata.Sandbox.Http;

/// <summary>
/// One field error of a validation, as apimachinery's <c>field.Error</c>: its cause type
/// (<c>FieldValueRequired</c>, <c>FieldValueInvalid</c>, ...), the field path and the body
/// (<c>Required value</c>, <c>Invalid value: ...: detail</c>).
/// </summary>
internal sealed record FieldError(string Type, string Field, string Body)
{
    public override string ToString() => $"{Field}: {Body}";

    public JsonObject ToCause() => new() { ["reason"] = Type, ["message"] = Body, ["field"] = Field };

    public static FieldError Required(string field, string detail = "") =>
        new("FieldValueRequired", field, detail.Length == 0 ? "Required value" : $"Required value: {detail}");

    /// <summary><paramref name="value"/> is the bad value as Go's <c>%#v</c> prints it.</summary>
    public static FieldError Invalid(string field, string value, string detail) =>
        new("FieldValueInvalid", field, $"Invalid value: {value}: {detail}");

    /// <summary>The value's type is not the schema's; <paramref name="value"/> as Go's <c>%#v</c> prints it.</summary>
    public static FieldError TypeInvalid(string field, string value, string detail) =>
        new("FieldValueTypeInvalid", field, $"Invalid value: {value}: {detail}");

    public static FieldError NotSupported(string field, string value, params string[] supported) =>
        new("FieldValueNotSupported", field,
            $"Unsupported value: \"{value}\": supported values: {string.Join(", ", supported.Select(s => $"\"{s}\""))}");
}
