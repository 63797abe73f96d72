using System.Globalization;

namespace Strata.Core.Databases;

/// <summary>
/// An expectation on a query's value: a comparison (<c>=</c>, <c>==</c>, <c>!=</c>, <c>&gt;</c>, <c>&gt;=</c>,
/// <c>&lt;</c>, <c>&lt;=</c>) and an operand; numbers compare as numbers, anything else as text (equality only).
/// </summary>
/// <param name="Operator">The comparison.</param>
/// <param name="Operand">The value compared with.</param>
public sealed record ExpectedValue(string Operator, string Operand)
{
    private static readonly string[] Operators = [">=", "<=", "!=", "==", ">", "<", "="];

    /// <summary>Reads <c>&gt;= 1000</c>, <c>= ok</c> or a bare value; false with the reason when it is not one.</summary>
    public static bool TryParse(string text, out ExpectedValue? value, out string? error)
    {
        var trimmed = text.Trim();
        var op = Operators.FirstOrDefault(o => trimmed.StartsWith(o, StringComparison.Ordinal));
        var operand = op is null ? trimmed : trimmed[op.Length..].Trim();
        value = new ExpectedValue(op == "==" ? "=" : op ?? "=", operand);
        error = operand.Length == 0 ? $"'{text}' compares with nothing (write e.g. '>= 1000')"
            : op is ">" or ">=" or "<" or "<=" && !IsNumber(operand) ? $"'{operand}' is not a number, and '{op}' compares numbers"
            : null;
        if (error is not null)
        {
            value = null;
        }

        return error is null;
    }

    /// <summary>Whether <paramref name="found"/> meets the expectation.</summary>
    public bool IsMetBy(string? found)
    {
        if (found is null)
        {
            return false;
        }

        var value = found.Trim();
        if (IsNumber(value) && IsNumber(Operand))
        {
            var comparison = Number(value).CompareTo(Number(Operand));
            return Operator switch
            {
                ">" => comparison > 0,
                ">=" => comparison >= 0,
                "<" => comparison < 0,
                "<=" => comparison <= 0,
                "!=" => comparison != 0,
                _ => comparison == 0,
            };
        }

        return Operator switch
        {
            "=" => string.Equals(value, Operand, StringComparison.Ordinal),
            "!=" => !string.Equals(value, Operand, StringComparison.Ordinal),
            _ => false,
        };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Operator} {Operand}";

    private static bool IsNumber(string text) => decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static decimal Number(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
