using System.Text.Json;
using System.Text.Json.Nodes;

namespace Strata.Core.Kubernetes;

/// <summary>
/// The part of kubectl's JSONPath that assertions on one object need: <c>{.status.readyReplicas}</c>,
/// fields (<c>.metadata.labels.app\.kubernetes\.io/name</c> or <c>['app.kubernetes.io/name']</c>),
/// indexes (<c>[0]</c>, <c>[-1]</c>), wildcards (<c>[*]</c>, <c>.*</c>) and filters
/// (<c>[?(@.type=="Available")]</c>, with <c>==</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>,
/// <c>&gt;=</c>, or a bare <c>[?(@.field)]</c> for presence). The braces are optional. Results print as
/// kubectl prints them: strings as they are, other values as JSON, several joined by spaces.
/// Recursive descent, slices, unions and <c>range</c> are not read: the error says so.
/// </summary>
public sealed partial class JsonPath
{
    private readonly IReadOnlyList<Step> _steps;

    private JsonPath(string text, IReadOnlyList<Step> steps)
    {
        Text = text;
        _steps = steps;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <summary>Reads <paramref name="text"/>; false with the position and reason when it is not an expression of the subset.</summary>
    public static bool TryParse(string text, out JsonPath? path, out JsonPathError? error)
    {
        var parser = new Parser(text);
        var steps = parser.ParseTemplate();
        error = parser.Error;
        path = error is null ? new JsonPath(text, steps) : null;
        return error is null;
    }

    /// <summary>Reads <paramref name="text"/>; <see cref="FormatException"/> when it is not an expression of the subset.</summary>
    public static JsonPath Parse(string text) =>
        TryParse(text, out var path, out var error) ? path! : throw new FormatException($"JSONPath '{text}' {error}");

    /// <summary>Every value the expression selects in <paramref name="document"/>, in document order.</summary>
    public IReadOnlyList<JsonNode?> Select(JsonNode? document)
    {
        IEnumerable<JsonNode?> current = [document];
        foreach (var step in _steps)
        {
            current = step.Apply(current).ToList();
        }

        return [.. current];
    }

    /// <summary>What kubectl prints for the expression on <paramref name="document"/>; null when it selects nothing.</summary>
    public string? Evaluate(JsonNode? document)
    {
        var values = Select(document);
        return values.Count == 0 ? null : string.Join(' ', values.Select(Print));
    }

    /// <summary>One value as kubectl prints it: a string as it is, anything else as compact JSON.</summary>
    public static string Print(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };
}
