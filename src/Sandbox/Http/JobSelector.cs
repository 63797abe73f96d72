using System.Text.Json.Nodes;

namespace Strata.Sandbox.Http;

/// <summary>
/// A Job's generated selector, as the batch registry does it: on create, unless
/// <c>spec.manualSelector</c> is true, the template gets the controller-uid and job-name labels
/// (those it does not have already) and the selector the new uid; validation then refuses a Job
/// whose given labels or selector name another uid — a Job copied from another object.
/// </summary>
internal static class JobSelector
{
    public const string ControllerUid = "batch.kubernetes.io/controller-uid";
    public const string LegacyControllerUid = "controller-uid";
    public const string JobName = "batch.kubernetes.io/job-name";
    public const string LegacyJobName = "job-name";

    public static bool IsManual(JsonObject spec) =>
        spec["manualSelector"] is JsonValue v && v.TryGetValue<bool>(out var manual) && manual;

    /// <summary>The registry's <c>generateSelector</c>: labels the user set are kept (and, if wrong, refused by validation).</summary>
    public static void Generate(JsonObject job, string uid, string name)
    {
        var spec = job["spec"] as JsonObject ?? (JsonObject)(job["spec"] = new JsonObject());
        if (IsManual(spec))
        {
            return;
        }

        var template = spec["template"] as JsonObject ?? (JsonObject)(spec["template"] = new JsonObject());
        var metadata = template["metadata"] as JsonObject ?? (JsonObject)(template["metadata"] = new JsonObject());
        var labels = metadata["labels"] as JsonObject ?? (JsonObject)(metadata["labels"] = new JsonObject());
        foreach (var key in new[] { LegacyJobName, JobName })
        {
            labels[key] ??= name;
        }

        foreach (var key in new[] { LegacyControllerUid, ControllerUid })
        {
            labels[key] ??= uid;
        }

        var selector = spec["selector"] as JsonObject ?? (JsonObject)(spec["selector"] = new JsonObject());
        var matchLabels = selector["matchLabels"] as JsonObject ?? (JsonObject)(selector["matchLabels"] = new JsonObject());
        matchLabels[ControllerUid] ??= uid;
    }

    /// <summary>The batch validation's <c>validateGeneratedSelector</c>, with its field paths and wording.</summary>
    public static List<FieldError> Validate(JsonObject job)
    {
        var errors = new List<FieldError>();
        var spec = job["spec"] as JsonObject ?? [];
        var labels = spec["template"]?["metadata"]?["labels"] as JsonObject;
        if (IsManual(spec) || labels is null || spec["selector"] is not JsonObject selector)
        {
            return errors;
        }

        var uid = job["metadata"]?["uid"]?.GetValue<string>() ?? string.Empty;
        var name = job["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;
        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [LegacyControllerUid] = uid, [LegacyJobName] = name, [ControllerUid] = uid, [JobName] = name,
        };
        foreach (var key in new[] { LegacyControllerUid, LegacyJobName, ControllerUid, JobName })
        {
            var field = $"spec.template.metadata.labels[{key}]";
            if (labels[key] is not JsonValue actual)
            {
                errors.Add(FieldError.Required(field, $"must be '{expected[key]}'"));
            }
            else if (actual.ToString() != expected[key])
            {
                errors.Add(FieldError.Invalid(field, WorkloadValidation.GoMap(labels), $"must be '{expected[key]}'"));
            }
        }

        if (!WorkloadValidation.Requirements(selector).All(r => r.Matches(expected)))
        {
            errors.Add(FieldError.Invalid("spec.selector", GoSelector(selector), "`selector` not auto-generated"));
        }

        return errors;
    }

    /// <summary>A selector of match labels as Go's <c>%#v</c> prints a <c>v1.LabelSelector</c>.</summary>
    private static string GoSelector(JsonObject selector)
    {
        var matchLabels = selector["matchLabels"] is JsonObject m
            ? "map[string]string{" + string.Join(", ", m.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"\"{l.Key}\":\"{l.Value}\"")) + "}"
            : "map[string]string(nil)";
        var expressions = selector["matchExpressions"] is JsonArray { Count: > 0 } e
            ? $"[]v1.LabelSelectorRequirement{{/* {e.Count} */}}" // rare on a Job; the count is enough to recognise it
            : "[]v1.LabelSelectorRequirement(nil)";
        return $"v1.LabelSelector{{MatchLabels:{matchLabels}, MatchExpressions:{expressions}}}";
    }
}
