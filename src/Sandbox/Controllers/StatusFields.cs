using System.Text.Json.Nodes;

namespace Strata.Sandbox.Controllers;

/// <summary>Reading a workload's spec and writing status counters as Go's <c>omitempty</c> does.</summary>
internal static class StatusFields
{
    public static long Int(JsonNode? node, long fallback = 0) =>
        node is JsonValue value && value.TryGetValue<long>(out var n) ? n : fallback;

    public static long Replicas(JsonObject workload) => Int(workload["spec"]?["replicas"], 1);

    public static long Generation(JsonObject obj) => Int(obj["metadata"]?["generation"], 0);

    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/>, leaving zero out (omitempty).</summary>
    public static void Counter(JsonObject status, string name, long value)
    {
        if (value != 0)
        {
            status[name] = value;
        }
    }
}
