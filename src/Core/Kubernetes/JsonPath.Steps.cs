using System.Text.Json;
using System.Text.Json.Nodes;

namespace Strata.Core.Kubernetes;

// The steps of a JsonPath: a field, a wildcard, an index, a filter, each applied to the values selected so far.
public sealed partial class JsonPath
{
    private abstract record Step
    {
        public abstract IEnumerable<JsonNode?> Apply(IEnumerable<JsonNode?> nodes);
    }

    private sealed record Field(string Name) : Step
    {
        public override IEnumerable<JsonNode?> Apply(IEnumerable<JsonNode?> nodes) =>
            nodes.OfType<JsonObject>().Where(o => o.ContainsKey(Name)).Select(o => o[Name]);
    }

    private sealed record Wildcard : Step
    {
        public override IEnumerable<JsonNode?> Apply(IEnumerable<JsonNode?> nodes) => nodes.SelectMany(n => n switch
        {
            JsonArray array => array.AsEnumerable(),
            JsonObject obj => obj.Select(p => p.Value),
            _ => [],
        });
    }

    private sealed record Index(int Position) : Step
    {
        public override IEnumerable<JsonNode?> Apply(IEnumerable<JsonNode?> nodes)
        {
            foreach (var array in nodes.OfType<JsonArray>())
            {
                var i = Position < 0 ? array.Count + Position : Position;
                if (i >= 0 && i < array.Count)
                {
                    yield return array[i];
                }
            }
        }
    }

    private sealed record Filter(IReadOnlyList<Step> Relative, string? Operator, JsonNode? Literal) : Step
    {
        public override IEnumerable<JsonNode?> Apply(IEnumerable<JsonNode?> nodes) =>
            nodes.OfType<JsonArray>().SelectMany(a => a).Where(Matches);

        private bool Matches(JsonNode? element)
        {
            IEnumerable<JsonNode?> found = [element];
            foreach (var step in Relative)
            {
                found = step.Apply(found).ToList();
            }

            var values = found.ToList();
            if (Operator is null)
            {
                return values.Count > 0;
            }

            return values.Any(v => Compare(v) is { } order && Operator switch
            {
                "==" => order == 0,
                "!=" => order != 0,
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                _ => order >= 0,
            });
        }

        /// <summary>The order of <paramref name="value"/> against the literal; null when they cannot be compared (then only != holds).</summary>
        private int? Compare(JsonNode? value)
        {
            if (value is JsonValue v && Literal is JsonValue l)
            {
                var (vk, lk) = (v.GetValueKind(), l.GetValueKind());
                if (vk == JsonValueKind.Number && lk == JsonValueKind.Number)
                {
                    return v.GetValue<double>().CompareTo(l.GetValue<double>());
                }

                if (vk == JsonValueKind.String && lk == JsonValueKind.String)
                {
                    return string.CompareOrdinal(v.GetValue<string>(), l.GetValue<string>());
                }

                if (vk is JsonValueKind.True or JsonValueKind.False && lk is JsonValueKind.True or JsonValueKind.False)
                {
                    return vk == lk ? 0 : 1;
                }
            }

            return Operator == "!=" ? 1 : null;
        }
    }
}
