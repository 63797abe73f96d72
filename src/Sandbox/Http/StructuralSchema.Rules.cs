using System.Text.Json.Nodes;

namespace Strata.Sandbox.Http;

/// <summary>
/// The CEL rules of a custom resource's schema, evaluated as apiextensions-apiserver evaluates
/// <c>x-kubernetes-validations</c>: at each node the object has, with <c>self</c> the node's value; a transition rule
/// (one that reads <c>oldSelf</c>) only on an update whose old object has the node too (through object fields and map
/// keys, not list items). A node whose value is unchanged by the update is not checked (validation ratcheting, on by
/// default since Kubernetes 1.30). A rule that fails is a <c>FieldValueInvalid</c> cause at the node's path whose value
/// is the node's type, as the apiserver reports it: <c>spec.source: Invalid value: "object": persistentVolumeClaimName
/// is immutable</c>; one whose evaluation fails says why (<c>no such key: x evaluating rule: RULE</c>).
/// </summary>
internal sealed partial record StructuralSchema
{
    /// <summary>The rules this schema holds outside the sandbox's CEL subset (not enforced), each with its path and why.</summary>
    public IReadOnlyList<(string Path, string Rule, string Why)> UnsupportedRules()
    {
        var found = new List<(string, string, string)>();
        CollectUnsupported(this, "", found);
        return found;
    }

    /// <summary>The failures of the CEL rules on <paramref name="obj"/>; <paramref name="old"/> is the stored object on an update, null on a create.</summary>
    public IReadOnlyList<FieldError> ValidateRules(JsonObject obj, JsonObject? old)
    {
        var errors = new List<FieldError>();
        CheckRules(obj, old, old is not null, this, "", errors);
        return errors;
    }

    private static void CheckRules(JsonNode? value, JsonNode? old, bool hasOld, StructuralSchema schema, string path, List<FieldError> errors)
    {
        if (value is null || (hasOld && JsonNode.DeepEquals(value, old)))
        {
            return;
        }

        foreach (var rule in schema.Rules)
        {
            if (rule.Expression is not { } expression || (rule.Transition && !hasOld))
            {
                continue;
            }

            var type = $"\"{schema.Type ?? KindOf(value)}\"";
            try
            {
                if (!expression.IsTrue(value, hasOld ? old : null))
                {
                    errors.Add(FieldError.Invalid(path, type, rule.Message));
                }
            }
            catch (CelException e)
            {
                errors.Add(FieldError.Invalid(path, type, $"{e.Message} evaluating rule: {rule.Rule}"));
            }
        }

        switch (value)
        {
            case JsonObject fields:
                foreach (var (key, child) in fields)
                {
                    var (childSchema, childPath) = schema.Properties.GetValueOrDefault(key) is { } field ? (field, Join(path, key))
                        : schema.AdditionalProperties is { } values ? (values, path.Length == 0 ? key : $"{path}[{key}]")
                        : (null, "");
                    if (childSchema is not null)
                    {
                        var oldFields = old as JsonObject;
                        CheckRules(child, oldFields?[key], oldFields?.ContainsKey(key) == true, childSchema, childPath, errors);
                    }
                }

                break;
            case JsonArray list when schema.Items is { } items:
                for (var i = 0; i < list.Count; i++)
                {
                    CheckRules(list[i], null, false, items, $"{path}[{i}]", errors);
                }

                break;
        }
    }

    private static void CollectUnsupported(StructuralSchema schema, string path, List<(string, string, string)> found)
    {
        found.AddRange(schema.Rules.Where(r => r.Unsupported is not null).Select(r => (path, r.Rule, r.Unsupported!)));
        foreach (var (key, field) in schema.Properties)
        {
            CollectUnsupported(field, Join(path, key), found);
        }

        if (schema.AdditionalProperties is { } values)
        {
            CollectUnsupported(values, $"{path}[*]", found);
        }

        if (schema.Items is { } items)
        {
            CollectUnsupported(items, $"{path}[*]", found);
        }
    }
}
