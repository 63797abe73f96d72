using System.Text.Json.Nodes;

namespace Strata.Sandbox.Http;

/// <summary>
/// One <c>x-kubernetes-validations</c> rule of a CRD schema node, parsed once when the CRD is registered. The sandbox
/// evaluates a small subset of CEL — what the published snapshot CRDs use (see <see cref="CelParser"/>); a rule outside
/// it is kept with <see cref="Unsupported"/> set and <b>not enforced</b> (listed by
/// <see cref="StructuralSchema.UnsupportedRules"/>), never a crash.
/// </summary>
/// <param name="Rule">The rule's CEL text.</param>
/// <param name="Message">The message a failure reports (the rule's <c>message</c>, else <c>failed rule: RULE</c>, as the apiserver words it).</param>
internal sealed record CelRule(string Rule, string Message)
{
    /// <summary>The parsed expression; null when the rule is outside the supported subset.</summary>
    public CelExpression? Expression { get; private init; }

    /// <summary>Why the rule is not enforced (its parse error); null when it is.</summary>
    public string? Unsupported { get; private init; }

    /// <summary>A transition rule (it reads <c>oldSelf</c>): evaluated only on updates whose old object has the node.</summary>
    public bool Transition { get; private init; }

    public static CelRule From(JsonObject validation)
    {
        var rule = validation["rule"]?.GetValue<string>() ?? "";
        var message = validation["message"]?.GetValue<string>() is { Length: > 0 } text ? text : $"failed rule: {rule}";
        try
        {
            var expression = CelParser.Parse(rule);
            return new CelRule(rule, message) { Expression = expression, Transition = expression.ReadsOldSelf };
        }
        catch (CelException e)
        {
            return new CelRule(rule, message) { Unsupported = e.Message };
        }
    }
}
