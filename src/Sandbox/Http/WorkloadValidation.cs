using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;
using Strata.Sandbox.Storage;

namespace Strata.Sandbox.Http;

/// <summary>
/// The cheap part of the apps and batch validation kube-apiserver runs on create and update, with
/// its field paths and wording: a pod controller needs a selector that matches its template's
/// labels and a template with containers; a Job's pods restart OnFailure or Never, and its
/// generated selector names its own uid.
/// </summary>
internal static class WorkloadValidation
{
    public static void Validate(ResourceType type, JsonObject obj, string name)
    {
        var spec = obj["spec"] as JsonObject ?? [];
        var errors = type.Key switch
        {
            "deployments.apps" => PodController(spec, "empty selector is invalid for deployment"),
            "replicasets.apps" => PodController(spec, "empty selector is invalid for deployment"),
            "statefulsets.apps" => PodController(spec, "empty selector is invalid for statefulset"),
            "daemonsets.apps" => PodController(spec, "empty selector is not valid for daemonset."),
            "jobs.batch" => [.. JobSelector.Validate(obj), .. Job(spec)],
            _ => [],
        };
        if (errors.Count > 0)
        {
            throw ApiError.Invalid(type.Kind, type.Group, name, errors);
        }
    }

    private static List<FieldError> PodController(JsonObject spec, string emptySelector)
    {
        var errors = new List<FieldError>();
        if (spec["replicas"] is JsonValue replicas && replicas.TryGetValue<long>(out var count) && count < 0)
        {
            errors.Add(FieldError.Invalid("spec.replicas", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be greater than or equal to 0"));
        }

        var labels = spec["template"]?["metadata"]?["labels"] as JsonObject;
        switch (spec["selector"])
        {
            case not JsonObject:
                // A missing selector selects nothing, so the template's labels do not match it either.
                errors.Add(FieldError.Required("spec.selector"));
                errors.Add(FieldError.Invalid("spec.template.metadata.labels", GoMap(labels), "`selector` does not match template `labels`"));
                break;
            case JsonObject selector when Requirements(selector) is []:
                errors.Add(FieldError.Invalid("spec.selector",
                    "&v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}", emptySelector));
                break;
            case JsonObject selector when !Requirements(selector).All(r => r.Matches(Labels(labels))):
                errors.Add(FieldError.Invalid("spec.template.metadata.labels", GoMap(labels), "`selector` does not match template `labels`"));
                break;
        }

        if (spec["template"]?["spec"]?["containers"] is not JsonArray { Count: > 0 })
        {
            errors.Add(FieldError.Required("spec.template.spec.containers"));
        }

        return errors;
    }

    private static List<FieldError> Job(JsonObject spec)
    {
        var errors = new List<FieldError>();
        var pod = spec["template"]?["spec"];
        if (pod?["containers"] is not JsonArray { Count: > 0 })
        {
            errors.Add(FieldError.Required("spec.template.spec.containers"));
        }

        // Defaulted to Always before validation, which a Job refuses.
        var restartPolicy = pod?["restartPolicy"]?.GetValue<string>() ?? "Always";
        if (restartPolicy is not ("OnFailure" or "Never"))
        {
            errors.Add(FieldError.NotSupported("spec.template.spec.restartPolicy", restartPolicy, "OnFailure", "Never"));
        }

        return errors;
    }

    /// <summary>A <c>metav1.LabelSelector</c> (matchLabels and matchExpressions) as label requirements.</summary>
    public static List<LabelRequirement> Requirements(JsonObject selector)
    {
        var requirements = new List<LabelRequirement>();
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            requirements.Add(new LabelRequirement(key, LabelOperator.Equals, [value?.ToString() ?? string.Empty]));
        }

        foreach (var expression in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var op = expression["operator"]?.GetValue<string>() switch
            {
                "In" => LabelOperator.In,
                "NotIn" => LabelOperator.NotIn,
                "Exists" => LabelOperator.Exists,
                _ => LabelOperator.DoesNotExist,
            };
            var values = (expression["values"] as JsonArray ?? []).Select(v => v?.ToString() ?? string.Empty).ToList();
            requirements.Add(new LabelRequirement(expression["key"]?.GetValue<string>() ?? string.Empty, op, values));
        }

        return requirements;
    }

    private static Dictionary<string, string> Labels(JsonObject? labels) =>
        labels?.ToDictionary(l => l.Key, l => l.Value?.ToString() ?? string.Empty, StringComparer.Ordinal) ?? [];

    /// <summary>A label map as Go's <c>%#v</c> prints it, keys sorted.</summary>
    public static string GoMap(JsonObject? labels) =>
        labels is null
            ? "map[string]string(nil)"
            : "map[string]string{" + string.Join(", ", Labels(labels).OrderBy(l => l.Key, StringComparer.Ordinal)
                .Select(l => $"\"{l.Key}\":\"{l.Value}\"")) + "}"; // label keys and values hold no quote nor backslash
}
