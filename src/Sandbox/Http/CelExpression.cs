using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Strata.Sandbox.Http;

/// <summary>
/// A parsed CEL expression of the sandbox's subset, evaluated over JSON: <c>self</c> and <c>oldSelf</c>, field
/// selection, <c>has()</c>, <c>size()</c>, <c>!</c>, <c>&amp;&amp;</c>, <c>||</c>, <c>==</c>, <c>!=</c>, the orderings
/// on numbers, and string, integer, boolean and null literals. Values are JSON nodes (null is CEL's null); selecting a
/// field an object does not have is CEL's <c>no such key</c> error, and <c>&amp;&amp;</c>/<c>||</c> absorb an error on
/// one side when the other decides, as CEL's do.
/// </summary>
internal abstract record CelExpression
{
    /// <summary>Whether the expression reads <c>oldSelf</c> (a transition rule).</summary>
    public abstract bool ReadsOldSelf { get; }

    public abstract JsonNode? Evaluate(JsonNode? self, JsonNode? oldSelf);

    public bool IsTrue(JsonNode? self, JsonNode? oldSelf) => Bool(Evaluate(self, oldSelf), "the rule");

    protected static bool Bool(JsonNode? value, string what) =>
        value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? v.GetValue<bool>()
            : throw new CelException($"no matching overload: {what} is not a bool");

    /// <summary><c>self</c> or <c>oldSelf</c>.</summary>
    public sealed record Variable(bool Old) : CelExpression
    {
        public override bool ReadsOldSelf => Old;

        public override JsonNode? Evaluate(JsonNode? self, JsonNode? oldSelf) => Old ? oldSelf : self;
    }

    public sealed record Literal(JsonNode? Value) : CelExpression
    {
        public override bool ReadsOldSelf => false;

        public override JsonNode? Evaluate(JsonNode? self, JsonNode? oldSelf) => Value?.DeepClone();
    }

    /// <summary><c>operand.field</c> (the field's name unescaped: <c>__namespace__</c> is <c>namespace</c>).</summary>
    public sealed record Select(CelExpression Operand, string Field) : CelExpression
    {
        public override bool ReadsOldSelf => Operand.ReadsOldSelf;

        public override JsonNode? Evaluate(JsonNode? self, JsonNode? oldSelf) =>
            Operand.Evaluate(self, oldSelf) is JsonObject map
                ? map.TryGetPropertyValue(Field, out var value) ? value : throw new CelException($"no such key: {Field}")
                : throw new CelException($"no such key: {Field}");

        /// <summary>Whether the selected object has the field (<c>has(operand.field)</c>).</summary>
        public bool Has(JsonNode? self, JsonNode? oldSelf) =>
            Operand.Evaluate(self, oldSelf) is JsonObject map ? map[Field] is not null : throw new CelException($"no such key: {Field}");
    }

    public sealed record HasField(Select Field) : CelExpression
    {
        public override bool ReadsOldSelf => Field.ReadsOldSelf;

        public override JsonNode? Evaluate(JsonNode? self, JsonNode? oldSelf) => JsonValue.Create(Field.Has(self, oldSelf));
    }

    /// <summary><c>size(x)</c>: a string's code points, a list's items, a map's entries.</summary>
    public sealed record Size(CelExpression Operand) : CelExpression
    {
        public override bool ReadsOldSelf => Operand.ReadsOldSelf;

        public override JsonNode? Evaluate(JsonNode? self, JsonNode? oldSelf) => JsonValue.Create((long)(Operand.Evaluate(self, oldSelf) switch
        {
            JsonArray list => list.Count,
            JsonObject map => map.Count,
            JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>().EnumerateRunes().Count(),
            _ => throw new CelException("no matching overload for 'size'"),
        }));
    }

    public sealed record Not(CelExpression Operand) : CelExpression
    {
        public override bool ReadsOldSelf => Operand.ReadsOldSelf;

        public override JsonNode? Evaluate(JsonNode? self, JsonNode? oldSelf) => JsonValue.Create(!Bool(Operand.Evaluate(self, oldSelf), "the operand of '!'"));
    }

    /// <summary><c>&amp;&amp;</c> or <c>||</c>: an error on one side is absorbed when the other side decides.</summary>
    public sealed record Logical(bool And, CelExpression Left, CelExpression Right) : CelExpression
    {
        public override bool ReadsOldSelf => Left.ReadsOldSelf || Right.ReadsOldSelf;

        public override JsonNode? Evaluate(JsonNode? self, JsonNode? oldSelf)
        {
            var deciding = !And; // false decides an &&, true an ||
            CelException? leftError = null;
            try
            {
                if (Bool(Left.Evaluate(self, oldSelf), "an operand") == deciding)
                {
                    return JsonValue.Create(deciding);
                }
            }
            catch (CelException e)
            {
                leftError = e;
            }

            var right = Bool(Right.Evaluate(self, oldSelf), "an operand");
            return right == deciding ? JsonValue.Create(deciding) : leftError is not null ? throw leftError : JsonValue.Create(right);
        }
    }

    /// <summary><c>==</c>, <c>!=</c> (any values, deep), <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c> (numbers).</summary>
    public sealed record Compare(string Operator, CelExpression Left, CelExpression Right) : CelExpression
    {
        public override bool ReadsOldSelf => Left.ReadsOldSelf || Right.ReadsOldSelf;

        public override JsonNode? Evaluate(JsonNode? self, JsonNode? oldSelf)
        {
            var (left, right) = (Left.Evaluate(self, oldSelf), Right.Evaluate(self, oldSelf));
            return JsonValue.Create(Operator switch
            {
                "==" => JsonNode.DeepEquals(left, right),
                "!=" => !JsonNode.DeepEquals(left, right),
                _ => Order(Number(left), Number(right)),
            });
        }

        private bool Order(decimal left, decimal right) => Operator switch
        {
            "<" => left < right,
            "<=" => left <= right,
            ">" => left > right,
            _ => left >= right,
        };

        private decimal Number(JsonNode? value) =>
            value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new CelException($"no matching overload for '{Operator}'");
    }
}
