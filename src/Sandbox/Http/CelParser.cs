using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Strata.Sandbox.Http;

/// <summary>
/// Parses the CEL subset the sandbox enforces — the shapes of the published snapshot CRDs' rules: <c>self == oldSelf</c>,
/// <c>!has(oldSelf.x) || has(self.x)</c>, <c>has(self.name) &amp;&amp; has(self.__namespace__)</c>, the
/// exactly-one-of <c>(has(self.a) &amp;&amp; !has(self.b)) || (!has(self.a) &amp;&amp; has(self.b))</c> and
/// <c>size(self) &gt; 0</c>. Grammar: <c>or := and ('||' and)*</c>, <c>and := rel ('&amp;&amp;' rel)*</c>,
/// <c>rel := unary (('=='|'!='|'&lt;'|'&lt;='|'&gt;'|'&gt;=') unary)?</c>, <c>unary := '!' unary | member</c>,
/// <c>member := primary ('.' field)*</c>, <c>primary := '(' or ')' | self | oldSelf | has(member.field) | size(or) |
/// string | integer | true | false | null</c>. Anything else (other functions and macros, indexing, arithmetic, the
/// ternary, lists and maps) throws <see cref="CelException"/>: the rule is then not enforced.
/// </summary>
internal static class CelParser
{
    /// <summary>CEL's reserved words, which a field name escapes as <c>__word__</c>.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let",
        "loop", "package", "namespace", "return", "var", "void", "while",
    };

    public static CelExpression Parse(string rule)
    {
        var tokens = Tokenize(rule);
        var position = 0;
        var expression = Or(tokens, ref position);
        return position == tokens.Count ? expression : throw new CelException($"unexpected '{tokens[position]}' at token {position + 1}");
    }

    private static CelExpression Or(List<string> tokens, ref int position)
    {
        var left = And(tokens, ref position);
        while (Take(tokens, ref position, "||"))
        {
            left = new CelExpression.Logical(false, left, And(tokens, ref position));
        }

        return left;
    }

    private static CelExpression And(List<string> tokens, ref int position)
    {
        var left = Relation(tokens, ref position);
        while (Take(tokens, ref position, "&&"))
        {
            left = new CelExpression.Logical(true, left, Relation(tokens, ref position));
        }

        return left;
    }

    private static CelExpression Relation(List<string> tokens, ref int position)
    {
        var left = Unary(tokens, ref position);
        foreach (var op in (string[])["==", "!=", "<=", ">=", "<", ">"])
        {
            if (Take(tokens, ref position, op))
            {
                return new CelExpression.Compare(op, left, Unary(tokens, ref position));
            }
        }

        return left;
    }

    private static CelExpression Unary(List<string> tokens, ref int position) =>
        Take(tokens, ref position, "!") ? new CelExpression.Not(Unary(tokens, ref position)) : Member(tokens, ref position);

    private static CelExpression Member(List<string> tokens, ref int position)
    {
        var expression = Primary(tokens, ref position);
        while (Take(tokens, ref position, "."))
        {
            expression = new CelExpression.Select(expression, Field(Next(tokens, ref position)));
        }

        return expression;
    }

    private static CelExpression Primary(List<string> tokens, ref int position)
    {
        var token = Next(tokens, ref position);
        switch (token)
        {
            case "(":
                var inner = Or(tokens, ref position);
                Expect(tokens, ref position, ")");
                return inner;
            case "self":
                return new CelExpression.Variable(Old: false);
            case "oldSelf":
                return new CelExpression.Variable(Old: true);
            case "true" or "false":
                return new CelExpression.Literal(JsonValue.Create(token == "true"));
            case "null":
                return new CelExpression.Literal(null);
            case "has" or "size":
                Expect(tokens, ref position, "(");
                var argument = token == "has" ? Member(tokens, ref position) : Or(tokens, ref position);
                Expect(tokens, ref position, ")");
                return token == "size" ? new CelExpression.Size(argument)
                    : argument is CelExpression.Select select ? new CelExpression.HasField(select)
                    : throw new CelException("has() takes a field selection");
        }

        if (token[0] == '\'')
        {
            return new CelExpression.Literal(JsonValue.Create(token[1..^1]));
        }

        if (char.IsAsciiDigit(token[0]) && long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return new CelExpression.Literal(JsonValue.Create(number));
        }

        throw new CelException($"'{token}' is not in the sandbox's CEL subset");
    }

    /// <summary>A field name as CEL escapes it: <c>__namespace__</c> (a reserved word), <c>__dash__</c>, <c>__dot__</c>, <c>__slash__</c>, <c>__underscores__</c>.</summary>
    private static string Field(string token)
    {
        if (!(char.IsAsciiLetter(token[0]) || token[0] == '_'))
        {
            throw new CelException($"'{token}' is not a field name");
        }

        if (token.Length > 4 && token.StartsWith("__", StringComparison.Ordinal) && token.EndsWith("__", StringComparison.Ordinal) && Reserved.Contains(token[2..^2]))
        {
            return token[2..^2];
        }

        return token.Replace("__underscores__", "\u0000", StringComparison.Ordinal).Replace("__dot__", ".", StringComparison.Ordinal)
            .Replace("__dash__", "-", StringComparison.Ordinal).Replace("__slash__", "/", StringComparison.Ordinal).Replace("\u0000", "__", StringComparison.Ordinal);
    }

    private static List<string> Tokenize(string rule)
    {
        var tokens = new List<string>();
        for (var i = 0; i < rule.Length;)
        {
            var c = rule[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < rule.Length && (char.IsAsciiLetterOrDigit(rule[i]) || rule[i] == '_'))
                {
                    i++;
                }

                tokens.Add(rule[start..i]);
            }
            else if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < rule.Length && char.IsAsciiDigit(rule[i]))
                {
                    i++;
                }

                tokens.Add(rule[start..i]);
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(String(rule, ref i));
            }
            else if (i + 1 < rule.Length && rule.Substring(i, 2) is "==" or "!=" or "<=" or ">=" or "&&" or "||")
            {
                tokens.Add(rule.Substring(i, 2));
                i += 2;
            }
            else if (c is '!' or '<' or '>' or '(' or ')' or '.')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else
            {
                throw new CelException($"'{c}' is not in the sandbox's CEL subset");
            }
        }

        return tokens;
    }

    /// <summary>A quoted string (no raw, triple-quoted or byte strings; <c>\\</c> and <c>\'</c>-style escapes), kept quoted: <c>'text'</c>.</summary>
    private static string String(string rule, ref int i)
    {
        var quote = rule[i++];
        var text = new StringBuilder().Append('\'');
        while (i < rule.Length && rule[i] != quote)
        {
            if (rule[i] == '\\')
            {
                i++;
                if (i >= rule.Length || rule[i] is not ('\\' or '\'' or '"'))
                {
                    throw new CelException("only \\\\, \\' and \\\" escapes are in the sandbox's CEL subset");
                }
            }

            text.Append(rule[i++]);
        }

        if (i >= rule.Length)
        {
            throw new CelException("a string is not closed");
        }

        i++; // the closing quote
        return text.Append('\'').ToString();
    }

    private static bool Take(List<string> tokens, ref int position, string token)
    {
        if (position < tokens.Count && tokens[position] == token)
        {
            position++;
            return true;
        }

        return false;
    }

    private static void Expect(List<string> tokens, ref int position, string token)
    {
        if (!Take(tokens, ref position, token))
        {
            throw new CelException($"'{token}' expected at token {position + 1}");
        }
    }

    private static string Next(List<string> tokens, ref int position) =>
        position < tokens.Count ? tokens[position++] : throw new CelException("the rule ends too early");
}
