using System.Text.Json.Nodes;

namespace Strata.Core.Drills;

/// <summary>Reads <c>status.conditions</c> and the string fields around them.</summary>
internal static class Conditions
{
    /// <summary>The condition of <paramref name="type"/> in <paramref name="status"/>, or null.</summary>
    public static JsonObject? Find(JsonObject? status, string type) =>
        (status?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Text(c, "type") == type);

    /// <summary>A string field, or null.</summary>
    public static string? Text(JsonObject? obj, string field) =>
        obj?[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>": the message" when the condition has one.</summary>
    public static string Message(JsonObject condition) => Text(condition, "message") is { Length: > 0 } message ? $": {message}" : "";

    /// <summary>A condition as people read it: <c>Available=False (MinimumReplicasUnavailable: …)</c>.</summary>
    public static string Describe(JsonObject condition) =>
        $"{Text(condition, "type")}={Text(condition, "status")}"
        + (Text(condition, "reason") is { } reason ? $" ({reason}{Message(condition)})" : "");
}
