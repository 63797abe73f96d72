using System.Text.Json.Nodes;

namespace Strata.Sandbox.Controllers;

/// <summary>
/// Status conditions set as the controllers set them: an unchanged condition (same status and
/// reason) is left alone; a changed one is moved to the end, keeping its lastTransitionTime when
/// only the reason changed.
/// </summary>
internal static class Conditions
{
    /// <summary>How a kind writes its condition timestamps.</summary>
    public enum Style
    {
        /// <summary>Deployments: lastUpdateTime and lastTransitionTime.</summary>
        UpdateTime,

        /// <summary>Jobs: lastProbeTime and lastTransitionTime.</summary>
        ProbeTime,

        /// <summary>Namespaces: lastTransitionTime only.</summary>
        TransitionTime,
    }

    public static void Set(JsonObject status, Style style, string type, string value, string reason, string message, string now)
    {
        var conditions = status["conditions"] as JsonArray ?? [];
        var current = conditions.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
        if (current is not null && current["status"]?.GetValue<string>() == value && current["reason"]?.GetValue<string>() == reason)
        {
            status["conditions"] = conditions;
            return;
        }

        var transition = current is not null && current["status"]?.GetValue<string>() == value
            ? current["lastTransitionTime"]?.GetValue<string>() ?? now
            : now;
        var condition = new JsonObject { ["type"] = type, ["status"] = value };
        switch (style)
        {
            case Style.UpdateTime:
                condition["lastUpdateTime"] = now;
                break;
            case Style.ProbeTime:
                condition["lastProbeTime"] = now;
                break;
        }

        condition["lastTransitionTime"] = transition;
        condition["reason"] = reason;
        condition["message"] = message;
        if (current is not null)
        {
            conditions.Remove(current);
        }

        conditions.Add(condition);
        status["conditions"] = conditions;
    }

    public static string? StatusOf(JsonObject? status, string type) =>
        (status?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => c["type"]?.GetValue<string>() == type)?["status"]?.GetValue<string>();
}
