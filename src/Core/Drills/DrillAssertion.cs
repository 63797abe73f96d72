using System.Text.Json.Nodes;
using Strata.Core.Kubernetes;

namespace Strata.Core.Drills;

/// <summary>
/// What a drill waits for on one restored object (<c>assertions:</c> in strata.yaml): that it exists,
/// that it reports a condition, or that a JSONPath prints a value. Namespaces are the backup's; a scratch
/// drill looks in the scratch namespace they map to.
/// </summary>
public sealed record DrillAssertion
{
    /// <summary>The resource as kubectl names it: plural, singular, short name or kind, optionally with its group (<c>deployments.apps</c>, <c>Deployment</c>).</summary>
    public required string Resource { get; init; }

    /// <summary>The object's namespace in the backup; null for cluster-scoped objects.</summary>
    public string? Namespace { get; init; }

    /// <summary>The object's name.</summary>
    public required string Name { get; init; }

    /// <summary>A condition it must report; null unless asked for.</summary>
    public ExpectedCondition? Condition { get; init; }

    /// <summary>A JSONPath whose output must equal <see cref="Expected"/>; null unless asked for.</summary>
    public JsonPath? JsonPath { get; init; }

    /// <summary>What <see cref="JsonPath"/> must print (<c>equals:</c>).</summary>
    public string? Expected { get; init; }

    /// <summary>The line in strata.yaml.</summary>
    public int Line { get; init; }

    /// <summary>One look at the object (null: not found).</summary>
    public AssertionReading Read(KubeObject? obj)
    {
        if (obj is null)
        {
            return AssertionReading.Pending("not found");
        }

        if (Condition is { } expected)
        {
            return Conditions.Find(obj.Json["status"] as JsonObject, expected.Type) is not { } condition
                ? AssertionReading.Pending($"no {expected.Type} condition")
                : Conditions.Text(condition, "status") == expected.Status
                    ? AssertionReading.Met(Conditions.Describe(condition))
                    : AssertionReading.Pending(Conditions.Describe(condition));
        }

        if (JsonPath is { } path)
        {
            return path.Evaluate(obj.Json) is not { } printed ? AssertionReading.Pending($"{path.Text} selects nothing")
                : printed == Expected ? AssertionReading.Met($"{path.Text} = '{printed}'")
                : AssertionReading.Pending($"{path.Text} = '{printed}'");
        }

        return AssertionReading.Met("exists");
    }

    /// <summary>For people: <c>deployments.apps shop/web: Available=True</c>.</summary>
    public string Describe(string? targetNamespace)
    {
        var where = $"{Resource} {(targetNamespace is null ? Name : $"{targetNamespace}/{Name}")}";
        return Condition is { } condition ? $"{where}: {condition}"
            : JsonPath is { } path ? $"{where}: {path.Text} = '{Expected}'"
            : $"{where}: exists";
    }
}
