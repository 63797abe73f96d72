using System.Text;

namespace Strata.Core.Kubernetes;

/// <summary>One requirement of a <see cref="LabelSelector"/>.</summary>
public sealed record LabelRequirement(string Key, LabelOperator Operator, IReadOnlyList<string> Values)
{
    /// <summary>Whether the requirement holds for <paramref name="labels"/>.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            LabelOperator.Equals or LabelOperator.In => has && Values.Contains(value!, StringComparer.Ordinal),
            LabelOperator.NotEquals or LabelOperator.NotIn => !has || !Values.Contains(value!, StringComparer.Ordinal),
            LabelOperator.Exists => has,
            LabelOperator.DoesNotExist => !has,
            _ => false,
        };
    }

    /// <inheritdoc />
    public override string ToString() => Operator switch
    {
        LabelOperator.Equals => $"{Key}={Values[0]}",
        LabelOperator.NotEquals => $"{Key}!={Values[0]}",
        LabelOperator.In => $"{Key} in ({string.Join(',', Values)})",
        LabelOperator.NotIn => $"{Key} notin ({string.Join(',', Values)})",
        LabelOperator.Exists => Key,
        _ => $"!{Key}",
    };

    internal static LabelRequirement Parse(string part, string whole)
    {
        if (part.Length == 0)
        {
            throw Bad(whole, "empty requirement");
        }

        if (part[0] == '!')
        {
            return new LabelRequirement(ValidKey(part[1..].Trim(), whole), LabelOperator.DoesNotExist, []);
        }

        var ne = part.IndexOf("!=", StringComparison.Ordinal);
        if (ne > 0)
        {
            return Single(part[..ne], part[(ne + 2)..], LabelOperator.NotEquals, whole);
        }

        var eqeq = part.IndexOf("==", StringComparison.Ordinal);
        if (eqeq > 0)
        {
            return Single(part[..eqeq], part[(eqeq + 2)..], LabelOperator.Equals, whole);
        }

        var eq = part.IndexOf('=', StringComparison.Ordinal);
        if (eq > 0)
        {
            return Single(part[..eq], part[(eq + 1)..], LabelOperator.Equals, whole);
        }

        var words = part.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 1)
        {
            return new LabelRequirement(ValidKey(words[0], whole), LabelOperator.Exists, []);
        }

        var rest = words[1];
        LabelOperator op;
        if (rest.StartsWith("notin", StringComparison.Ordinal))
        {
            op = LabelOperator.NotIn;
            rest = rest[5..].Trim();
        }
        else if (rest.StartsWith("in", StringComparison.Ordinal))
        {
            op = LabelOperator.In;
            rest = rest[2..].Trim();
        }
        else
        {
            throw Bad(whole, $"unknown operator in '{part}' (expected =, ==, !=, in, notin)");
        }

        if (rest.Length < 2 || rest[0] != '(' || rest[^1] != ')')
        {
            throw Bad(whole, $"'{part}': the values of in/notin go in parentheses, e.g. key in (a,b)");
        }

        var values = rest[1..^1].Split(',', StringSplitOptions.TrimEntries);
        if (values.Length == 0 || (values.Length == 1 && values[0].Length == 0))
        {
            throw Bad(whole, $"'{part}': in/notin needs at least one value");
        }

        foreach (var v in values)
        {
            ValidValue(v, whole);
        }

        return new LabelRequirement(ValidKey(words[0], whole), op, values);
    }

    private static LabelRequirement Single(string key, string value, LabelOperator op, string whole) =>
        new(ValidKey(key.Trim(), whole), op, [ValidValue(value.Trim(), whole)]);

    private static string ValidKey(string key, string whole)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash >= 0 ? key[(slash + 1)..] : key;
        var prefix = slash >= 0 ? key[..slash] : null;
        if (name.Length is 0 or > 63 || !IsQualifiedPart(name))
        {
            throw Bad(whole, $"invalid label key '{key}': a name of at most 63 characters, alphanumeric, '-', '_' or '.', starting and ending alphanumeric");
        }

        if (prefix is not null && (prefix.Length is 0 or > 253 || !prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')))
        {
            throw Bad(whole, $"invalid label key prefix '{prefix}': a DNS subdomain is expected");
        }

        return key;
    }

    private static string ValidValue(string value, string whole)
    {
        if (value.Length > 63 || (value.Length > 0 && !IsQualifiedPart(value)))
        {
            throw Bad(whole, $"invalid label value '{value}': at most 63 characters, alphanumeric, '-', '_' or '.', starting and ending alphanumeric");
        }

        return value;
    }

    private static bool IsQualifiedPart(string s) =>
        char.IsAsciiLetterOrDigit(s[0]) && char.IsAsciiLetterOrDigit(s[^1]) &&
        s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static FormatException Bad(string whole, string why) =>
        new(new StringBuilder("invalid label selector '").Append(whole).Append("': ").Append(why).ToString());
}
